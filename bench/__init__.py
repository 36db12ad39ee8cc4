"""Benchmarks of Kompetencekatalog at the scale of one and of every Danish municipality.

Run with ``python -m bench`` (see ``bench/README.md`` and ``make bench`` / ``make
bench-quick``). Nothing here is a test: figures are measured against a baseline
taken in the same run and reported as ratios in ``bench/results/latest.json``,
never asserted with a time limit, because a timed assertion fails on a busy
machine and passes on a fast one without saying anything about the code.
"""
