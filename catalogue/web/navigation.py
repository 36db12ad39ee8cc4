"""The main menu: one list of entries, each shown to the viewers it is for.

Later screens (Dialog, Evaluering, Rekruttering, HR's) add an entry here; the
layout renders the list, so no template names a page of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.services.capabilities import Capability
from catalogue.services.identity import Viewer


@dataclass(frozen=True)
class MenuEntry:
    text: str
    href: str
    #: Shown to a viewer holding one of these; empty: to everyone logged in or not.
    capabilities: tuple[Capability, ...] = ()
    #: Shown only when logged in (a page about the viewer's own data).
    login: bool = False

    def shown_to(self, viewer: Viewer | None) -> bool:
        if self.login and viewer is None:
            return False
        if not self.capabilities:
            return True
        return viewer is not None and viewer.can(*self.capabilities)

    def is_current(self, path: str) -> bool:
        return path == self.href if self.href == "/" else path.startswith(self.href)


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("Forside", "/"),
    MenuEntry("Kompetenceprofilen", "/profil"),
    MenuEntry("Kurser", "/kurser"),
    MenuEntry("Mine tilmeldinger", "/mine/tilmeldinger", (Capability.PEOPLE_READ_SELF,), True),
    MenuEntry("Mit fremskridt", "/mine/fremskridt", (Capability.PEOPLE_READ_SELF,), True),
    MenuEntry("Mit team", "/team", (Capability.PEOPLE_READ_SUBTREE,), True),
    MenuEntry("Godkendelser", "/godkendelser", (Capability.ENROLMENT_APPROVE_SUBTREE,), True),
    MenuEntry("Kurser (HR)", "/hr/kurser", (Capability.CATALOGUE_CURATE,), True),
    MenuEntry("Dækning", "/hr/daekning", (Capability.CATALOGUE_CURATE,), True),
    MenuEntry("Revisionslog", "/hr/log", (Capability.AUDIT_READ,), True),
    MenuEntry("Synkronisering", "/hr/synkronisering", (Capability.LMS_SYNC,), True),
)


def menu_for(viewer: Viewer | None, path: str) -> list[tuple[MenuEntry, bool]]:
    """The entries this viewer sees, each with whether it is the current page's."""
    return [(entry, entry.is_current(path)) for entry in MENU if entry.shown_to(viewer)]
