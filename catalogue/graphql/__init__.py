"""The Strawberry GraphQL schema, one package per domain (see STYLE.md)."""
