"""The data generator: the demo seed plus bulk-generated municipalities, written with COPY.

``build.ensure(scale)`` returns the name of a pristine database at that scale,
generating it if it is missing or stale. Everything is drawn from one seeded
random generator per scale, so two generations of a scale give the same data
(dates are relative to the day of generation, like the demo seed's).
"""
