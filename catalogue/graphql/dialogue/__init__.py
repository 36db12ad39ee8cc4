"""GraphQL for the chef–leader dialogue (LUS)."""
