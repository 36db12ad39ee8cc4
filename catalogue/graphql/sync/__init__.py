"""HR's view of the LMS sync: the runs (``syncRuns``) and "sync now" (``triggerLmsSync``)."""
