"""Relay ``Node`` support for types backed by a model and a by-id DataLoader."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any, ClassVar, Self, TypeVar

from strawberry.dataloader import DataLoader
from strawberry.relay import Node

from catalogue.graphql.context import Info
from catalogue.graphql.core.field_spec import MODEL_FIELD, field_spec
from catalogue.graphql.core.ids import database_id
from catalogue.services.errors import DomainError, ErrorCode

NodeT = TypeVar("NodeT", bound="ModelNode")


class ModelNode(Node):
    """A node type resolved through ``loader_name`` on the request's Loaders."""

    loader_name: ClassVar[str]

    @classmethod
    def from_model(cls, model: Any) -> Self:
        """The type's fields copied from the model's attributes of the same names.

        A private field named ``model`` gets the model itself (for resolvers that need more).
        """
        values = {
            name: model if name == MODEL_FIELD else getattr(model, name)
            for name in field_spec(cls).init
        }
        return cls(**values)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        ids = [database_id(node_id) or -1 for node_id in node_ids]
        loader: DataLoader[int, Any] = getattr(info.context.loaders, cls.loader_name)
        models = await loader.load_many(ids)
        nodes = [cls.from_model(model) if model is not None else None for model in models]
        return [node if node is None or await node.is_visible(info) else None for node in nodes]

    async def is_visible(self, info: Info) -> bool:
        """Whether the viewer may see this node through ``node(id:)``; public by default."""
        return True


async def related(loader: DataLoader[int, Any], key: int, node_type: type[NodeT]) -> NodeT:
    """The node a foreign key points at, through the request's loader; it must exist."""
    model = await loader.load(key)
    assert model is not None, f"{node_type.__name__} {key} is missing"
    return node_type.from_model(model)


async def related_visible(
    info: Info, loader: DataLoader[int, Any], key: int, node_type: type[NodeT]
) -> NodeT:
    """The node a foreign key points at, if the viewer may also see it through ``node(id:)``.

    A nested field must not show what ``node(id:)`` hides (a draft course reached from
    a run, an activity or an enrolment); such a field answers NOT_FOUND instead.
    """
    node = await related(loader, key, node_type)
    if not await node.is_visible(info):
        raise DomainError(
            ErrorCode.NOT_FOUND,
            f"{node_type.__strawberry_definition__.name} findes ikke, "  # type: ignore[attr-defined]
            "eller du har ikke adgang til det.",
        )
    return node


async def visible_nodes(info: Info, nodes: list[NodeT]) -> list[NodeT]:
    """The nodes of a list that the viewer may see, in order, checked together in one batch."""
    shown = await asyncio.gather(*(node.is_visible(info) for node in nodes))
    return [node for node, show in zip(nodes, shown, strict=True) if show]
