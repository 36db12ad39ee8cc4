"""GDPR in GraphQL: ADMIN's export and erasure of a person's data (rules in services.privacy)."""
