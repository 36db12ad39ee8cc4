"""One module per measurement; each returns plain figures, which ``bench.report`` judges."""
