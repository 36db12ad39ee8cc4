"""The per-request GraphQL context: one database session, fresh DataLoaders, the viewer."""

from __future__ import annotations

from typing import TypeAlias

import strawberry
from sqlalchemy.orm import Session
from strawberry.fastapi import BaseContext

from catalogue.graphql.loaders import Loaders
from catalogue.services.identity import Viewer
from catalogue.settings import Settings


class Context(BaseContext):
    def __init__(self, *, session: Session, settings: Settings, viewer: Viewer | None) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.viewer = viewer
        self.loaders = Loaders(session)


Info: TypeAlias = strawberry.Info[Context, None]
