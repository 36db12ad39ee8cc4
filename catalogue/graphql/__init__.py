"""The Strawberry GraphQL schema, one package per domain; shared pieces live in ``core``."""
