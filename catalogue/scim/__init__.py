"""SCIM 2.0 service provider (RFC 7643/7644) at /scim/v2: an adapter over the directory service.

The resource models, filters and PATCH semantics are scim2-models'; the storage and
every rule are ``catalogue.services`` (directory, managers, role groups, leavers).
"""
