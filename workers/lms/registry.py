"""Which connector serves ``CATALOGUE_LMS_KIND``: a kind name mapped to a gateway factory.

A factory gets the settings (and, for tests, an HTTP client to route to a
simulator) and gives an ``LmsGateway`` for the length of one run, closing what
it opened afterwards. Moodle is registered here; another LMS registers its own
factory under its own kind, with no change to the sync rules in
``catalogue.services.lms_sync``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

import httpx

from catalogue.services.lms_sync.port import LmsGateway
from catalogue.settings import NO_LMS, Settings
from workers.lms.errors import LmsSettingsError
from workers.lms.moodle_gateway import moodle_gateway


class ConnectorFactory(Protocol):
    """Builds the gateway for one run from settings; may raise ``LmsSettingsError``."""

    def __call__(
        self, settings: Settings, *, client: httpx.Client | None = None
    ) -> AbstractContextManager[LmsGateway]: ...


CONNECTORS: dict[str, ConnectorFactory] = {"moodle": moodle_gateway}


def register_connector(kind: str, factory: ConnectorFactory) -> None:
    """Make ``factory`` the connector for ``CATALOGUE_LMS_KIND=kind``."""
    key = kind.strip().casefold()
    if not key or key == NO_LMS:
        raise ValueError(f"{kind!r} cannot name a connector")
    CONNECTORS[key] = factory


def unregister_connector(kind: str) -> None:
    CONNECTORS.pop(kind.strip().casefold(), None)


def known_kinds() -> list[str]:
    return sorted(CONNECTORS)


def connector_for(settings: Settings) -> ConnectorFactory:
    """The factory for the configured kind; a Danish settings error if there is none."""
    if settings.lms_kind == NO_LMS:
        raise LmsNotConfiguredError()
    factory = CONNECTORS.get(settings.lms_kind)
    if factory is None:
        raise LmsSettingsError(
            f"CATALOGUE_LMS_KIND={settings.lms_kind} er ikke et kendt LMS; "
            f"brug en af: {', '.join([*known_kinds(), NO_LMS])}."
        )
    return factory


@contextmanager
def gateway_from_settings(
    settings: Settings, *, client: httpx.Client | None = None
) -> Iterator[LmsGateway]:
    """The configured LMS as a gateway; ``client`` lets tests route HTTP to a simulator."""
    with connector_for(settings)(settings, client=client) as gateway:
        yield gateway


class LmsNotConfiguredError(LmsSettingsError):
    def __init__(self) -> None:
        super().__init__(
            "Der er ikke forbundet noget LMS: sæt CATALOGUE_LMS_KIND "
            f"(en af: {', '.join(known_kinds())}) og dets indstillinger."
        )
