"""The privacy tests share the enrolment tests' cast and app (tests/enrolment/conftest.py)."""

from tests.enrolment.conftest import client, org, settings, shared_client

__all__ = ["client", "org", "settings", "shared_client"]
