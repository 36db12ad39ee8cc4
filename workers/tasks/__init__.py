"""Celery tasks: thin wrappers that take ids and kinds and call the catalogue's services."""
