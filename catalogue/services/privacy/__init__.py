"""GDPR for the catalogue's data: export everything held on a person, erase it, and retention.

Shaped after Moodle's privacy API: each area of personal data (``areas.py``) says
what it holds on a person, exports it and erases it, and the use cases
(``export.py``, ``erasure.py``, ``retention.py``) walk the areas. A new table with a
person in it is a new area; ``tests/privacy`` fails until it has one.
"""
