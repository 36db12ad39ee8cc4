"""Use cases over a Session; importing the package keeps the search index on every write."""

from catalogue.services import search_index as _search_index  # noqa: F401  (its flush listener)
