"""The acting viewer inside a mutation, already let through by the mutation extension."""

from __future__ import annotations

from catalogue.graphql.context import Info
from catalogue.services.identity import Viewer


def actor(info: Info) -> Viewer:
    viewer = info.context.viewer
    assert viewer is not None, "mutation extension lets no anonymous request through"
    return viewer
