"""The per-request GraphQL context: one database session, fresh DataLoaders, the viewer."""

from __future__ import annotations

from typing import TypeAlias

import strawberry
from sqlalchemy.orm import Session
from strawberry.fastapi import BaseContext

from catalogue.graphql.loaders import Loaders
from catalogue.services.dialogue.access import Standing
from catalogue.services.identity import Viewer
from catalogue.services.people import visible_person_ids
from catalogue.settings import Settings


class Context(BaseContext):
    def __init__(self, *, session: Session, settings: Settings, viewer: Viewer | None) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.viewer = viewer
        self.loaders = Loaders(session)
        self._visible_people: set[int] | None = None
        self._visible_people_known = False
        #: Dialogue id -> the viewer's standing to it (or None), worked out once per request.
        self.dialogue_standings: dict[int, Standing | None] = {}

    def visible_people(self) -> set[int] | None:
        """Whose personal data the viewer may see (``None``: everyone); computed once."""
        if not self._visible_people_known:
            self._visible_people = visible_person_ids(self.session, self.viewer)
            self._visible_people_known = True
        return self._visible_people

    def may_see_person(self, person_id: int) -> bool:
        visible = self.visible_people()
        return visible is None or person_id in visible


Info: TypeAlias = strawberry.Info[Context, None]
