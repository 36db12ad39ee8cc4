"""Relay cursor connections with slicing pushed down to SQL.

Cursors are opaque offsets within a stable order (every ordering ends with the
primary key), so a page never repeats or skips rows while the data is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from strawberry.relay import PageInfo, from_base64, to_base64

from catalogue.graphql.context import Info
from catalogue.services.errors import DomainError, ErrorCode

NodeT = TypeVar("NodeT")
RowT = TypeVar("RowT")
CURSOR_PREFIX = "offset"


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


def encode_cursor(offset: int) -> str:
    return to_base64(CURSOR_PREFIX, offset)


def decode_cursor(cursor: str) -> int:
    try:
        prefix, value = from_base64(cursor)
        offset = int(value)
    except (ValueError, TypeError) as exc:
        raise DomainError(ErrorCode.INVALID, "Ugyldig markør i 'after'.", field="after") from exc
    if prefix != CURSOR_PREFIX or offset < 0:
        raise DomainError(ErrorCode.INVALID, "Ugyldig markør i 'after'.", field="after")
    return offset


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
    """Which rows a page asks for (``first`` from ``after``), and its cursors."""

    start: int
    limit: int

    @classmethod
    def of(cls, *, first: int | None, after: str | None, max_page_size: int) -> PageWindow:
        """The page-size error comes before the cursor error, as it always has."""
        limit = check_page_size(first, max_page_size)
        return cls(start=decode_cursor(after) + 1 if after else 0, limit=limit)

    def cursor(self, index: int) -> str:
        return encode_cursor(self.start + index)

    def page_info(self, count: int, total: int) -> PageInfo:
        """``count`` rows were on the page, of ``total`` in all."""
        return PageInfo(
            has_next_page=self.start + count < total,
            has_previous_page=self.start > 0,
            start_cursor=self.cursor(0) if count else None,
            end_cursor=self.cursor(count - 1) if count else None,
        )

    def connection(
        self, rows: Sequence[RowT], total: int, to_node: Callable[[RowT], NodeT]
    ) -> Connection[NodeT]:
        edges = [Edge(cursor=self.cursor(i), node=to_node(row)) for i, row in enumerate(rows)]
        return Connection(
            edges=edges, page_info=self.page_info(len(edges), total), total_count=total
        )


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
    """One COUNT and one LIMIT/OFFSET query, whatever the size of the table."""
    window = PageWindow.of(first=first, after=after, max_page_size=max_page_size)
    total = count_rows(session, statement)
    rows: Sequence[Any] = (
        session.scalars(statement.offset(window.start).limit(window.limit)).all()
        if window.limit
        else []
    )
    return window.connection(rows, total, to_node)


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
    first: int | None,
    after: str | None,
    max_page_size: int,
    to_node: Callable[[RowT], NodeT],
) -> Connection[NodeT]:
    """The same cursors over a list a DataLoader already fetched for many parents at once."""
    window = PageWindow.of(first=first, after=after, max_page_size=max_page_size)
    page = rows[window.start : window.start + window.limit]
    return window.connection(page, len(rows), to_node)
