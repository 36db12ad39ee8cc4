"""The chef–leader dialogue (LUS): cycles, preparation, agreement, plan, reminders."""
