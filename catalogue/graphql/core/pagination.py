"""Relay cursor connections, paged by keyset in SQL.

A cursor is opaque to clients: base64 of ``key:`` and a JSON list of the row's
sort key values, ending with its id (``catalogue.services.keyset`` says why, and
what a pull sees while the data changes). A cursor that is not one of ours, or
belongs to another list or ordering, is a user error on ``after``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from strawberry.relay import PageInfo, from_base64, to_base64

from catalogue.graphql.context import Info
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.keyset import CursorMismatchError, Keyset, KeysetPage, checked_like

NodeT = TypeVar("NodeT")
RowT = TypeVar("RowT")
CURSOR_PREFIX = "key"
BAD_CURSOR = (
    "Markøren i 'after' kan ikke bruges: den er ikke en endCursor fra denne liste med denne "
    "sortering. Hent første side uden 'after', og brug så sidens endCursor."
)


@strawberry.type(description="En kant i en forbindelse: et element og dets markør.")
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type(
    description="En side af en liste, med markører til næste side og det samlede antal."
)
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    total_count: int

    @strawberry.field(description="Elementerne på siden, uden markører.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]


def encode_cursor(values: Sequence[Any]) -> str:
    """The cursor of a row whose sort key values are ``values``."""
    payload = json.dumps(
        [value.isoformat() if isinstance(value, datetime) else value for value in values],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return to_base64(CURSOR_PREFIX, payload)


def bad_cursor() -> DomainError:
    return DomainError(ErrorCode.INVALID, BAD_CURSOR, field="after")


def decode_cursor(cursor: str) -> list[Any]:
    """The sort key values in ``cursor``; which list they fit is checked against its ordering."""
    try:
        prefix, payload = from_base64(cursor)
        values = json.loads(payload)
    except (ValueError, TypeError) as exc:
        raise bad_cursor() from exc
    if prefix != CURSOR_PREFIX or not isinstance(values, list) or not values:
        raise bad_cursor()
    return values


def check_page_size(first: int | None, max_page_size: int) -> int:
    if first is None:
        return max_page_size
    if first < 0:
        raise DomainError(ErrorCode.INVALID, "'first' må ikke være negativ.", field="first")
    if first > max_page_size:
        raise DomainError(
            ErrorCode.INVALID,
            f"'first' må højst være {max_page_size}; hent resten med 'after'.",
            field="first",
        )
    return first


@dataclass(frozen=True)
class PageWindow:
    """Which rows a page asks for: ``first`` rows after the row of the ``after`` cursor."""

    limit: int
    after: list[Any] | None

    @classmethod
    def of(cls, *, first: int | None, after: str | None, max_page_size: int) -> PageWindow:
        """The page-size error comes before the cursor error, as it always has."""
        limit = check_page_size(first, max_page_size)
        return cls(limit=limit, after=decode_cursor(after) if after is not None else None)

    def keyset(self, session: Session, statement: Select[Any]) -> Keyset:
        """This window over ``statement``'s ordering; a cursor that does not fit it is refused."""
        try:
            return Keyset.of(
                statement,
                dialect=session.get_bind().dialect.name,
                after=self.after,
                limit=self.limit,
            )
        except CursorMismatchError as exc:
            raise bad_cursor() from exc

    def page_info(self, page: KeysetPage) -> PageInfo:
        cursors = [encode_cursor(key) for key in (page.keys[:1] + page.keys[-1:])]
        return PageInfo(
            has_next_page=page.has_next,
            has_previous_page=self.after is not None,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )

    def connection(
        self, page: KeysetPage, nodes: Sequence[RowT], total: int, to_node: Callable[[RowT], NodeT]
    ) -> Connection[NodeT]:
        edges = [
            Edge(cursor=encode_cursor(key), node=to_node(node))
            for key, node in zip(page.keys, nodes, strict=True)
        ]
        return Connection(edges=edges, page_info=self.page_info(page), total_count=total)


def count_rows(session: Session, statement: Select[Any]) -> int:
    """How many rows ``statement`` gives, without its ordering."""
    return (
        session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    )


def paginate(
    session: Session,
    statement: Select[RowT],
    *,
    first: int | None,
    after: str | None,
    max_page_size: int,
    to_node: Callable[[RowT], NodeT],
) -> Connection[NodeT]:
    """One COUNT and one keyset query (``first`` + 1 rows), however deep the page."""
    window = PageWindow.of(first=first, after=after, max_page_size=max_page_size)
    keyset = window.keyset(session, statement)
    total = count_rows(session, statement)
    page = keyset.page(session.execute(keyset.select(statement)).all())
    return window.connection(page, [row[0] for row in page.rows], total, to_node)


def paginate_query(
    info: Info,
    statement: Select[RowT],
    *,
    first: int | None,
    after: str | None,
    to_node: Callable[[RowT], NodeT],
) -> Connection[NodeT]:
    """``paginate`` with the request's session and the configured page-size limit."""
    return paginate(
        info.context.session,
        statement,
        first=first,
        after=after,
        max_page_size=info.context.settings.max_page_size,
        to_node=to_node,
    )


def paginate_list(
    rows: Sequence[RowT],
    *,
    key: Callable[[RowT], tuple[Any, ...]],
    first: int | None,
    after: str | None,
    max_page_size: int,
    to_node: Callable[[RowT], NodeT],
) -> Connection[NodeT]:
    """The same cursors over a list a DataLoader already fetched, sorted by ``key``."""
    window = PageWindow.of(first=first, after=after, max_page_size=max_page_size)
    keys = [key(row) for row in rows]
    start = 0
    if window.after is not None and keys:
        try:
            bound = checked_like(keys[0], window.after)
            start = next((i for i, k in enumerate(keys) if k > bound), len(keys))
        except (ValueError, TypeError) as exc:
            raise bad_cursor() from exc
    end = start + window.limit
    page = KeysetPage(rows=[], keys=keys[start:end], has_next=end < len(keys))
    return window.connection(page, rows[start:end], len(rows), to_node)
