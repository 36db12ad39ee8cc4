"""SCIM filters (RFC 7644 §3.4.2.2) as SQL: scim2-models parses, this walks its tree.

Each resource type names the attributes it can filter on and the column each
reads; attribute names compare case-insensitively, and so do the values of
attributes that are not case-exact (userName, e-mail, names). An attribute the
catalogue cannot filter on is a 400 ``invalidFilter`` naming it, never a silent
"matches nothing". ``emails[type eq "work"].value eq "x"`` (as Entra ID sends it)
reads the one e-mail a person has, which is their work address.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from scim2_models import ScimFilter
from scim2_models.exceptions import InvalidFilterException
from scim2_models.path.expressions import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)
from sqlalchemy import ColumnElement, and_, false, func, not_, or_, true

from catalogue.scim.errors import ScimError

Kind = Literal["string", "exact", "boolean", "id", "datetime"]
#: Longest filter text read; a longer one is refused before it is parsed.
FILTER_MAX_LENGTH = 4096


@dataclass(frozen=True)
class Field:
    """A filterable attribute: the column it reads, and how its values compare."""

    column: Any  # a mapped attribute or column expression
    kind: Kind = "string"


@dataclass(frozen=True)
class Constant:
    """An attribute every resource has with the same value (an e-mail's type "work")."""

    value: Any


@dataclass(frozen=True)
class Related:
    """An attribute of related rows (a group's members): ``condition(value)`` per value."""

    condition: Callable[[Any], ColumnElement[bool]]


Target = Field | Constant | Related


def where(text: str | None, fields: Mapping[str, Target]) -> ColumnElement[bool]:
    """The SQL condition of filter ``text`` (everything when None or blank)."""
    if text is None or not text.strip():
        return true()
    if len(text) > FILTER_MAX_LENGTH or "\x00" in text:
        raise ScimError(
            400,
            f"Filteret er for langt (højst {FILTER_MAX_LENGTH} tegn) eller rummer NUL.",
            "invalidFilter",
        )
    try:
        tree = ScimFilter(text).ast
    except (InvalidFilterException, ValueError) as exc:
        raise ScimError(
            400, f"Filteret {text[:200]!r} kan ikke læses: {exc}", "invalidFilter"
        ) from exc
    return _Translator(fields).node(tree)


class _Translator:
    def __init__(self, fields: Mapping[str, Target]) -> None:
        self.fields = {name.lower(): target for name, target in fields.items()}

    def node(self, node: FilterNode, prefix: str = "") -> ColumnElement[bool]:
        if isinstance(node, LogicalExpr):
            terms = [self.node(term, prefix) for term in node.terms]
            return and_(*terms) if node.op is LogicalOperator.and_ else or_(*terms)
        if isinstance(node, Not):
            return not_(self.node(node.expr, prefix))
        if isinstance(node, ValuePath):
            inner = self.node(node.val_filter, prefix=_name(node.attr_path) + ".")
            return inner
        if isinstance(node, Present):
            target = self.target(node.attr_path, prefix)
            if isinstance(target, Field):
                column = target.column
                return (
                    and_(column.is_not(None), column != "")
                    if target.kind in ("string", "exact")
                    else column.is_not(None)
                )
            if isinstance(target, Constant):
                return true() if target.value is not None else false()
            raise ScimError(400, f"'{node.attr_path} pr' kan ikke filtreres.", "invalidFilter")
        if isinstance(node, Comparison):
            return self.compare(node, prefix)
        raise ScimError(400, f"Filterudtrykket {node} kan ikke filtreres.", "invalidFilter")

    def target(self, path: AttrPath, prefix: str) -> Target:
        name = prefix + _name(path)
        target = self.fields.get(name.lower())
        if target is None and path.uri:
            target = self.fields.get(f"{path.uri}:{_name(path)}".lower())
        if target is None:
            known = ", ".join(sorted(self.fields))
            raise ScimError(
                400,
                f"Der kan ikke filtreres på {name!r}; det kan der på: {known}.",
                "invalidFilter",
            )
        return target

    def compare(self, node: Comparison, prefix: str) -> ColumnElement[bool]:
        target = self.target(node.attr_path, prefix)
        value = node.value
        if isinstance(target, Constant):
            return true() if _python_compare(target.value, node.op, value) else false()
        if isinstance(target, Related):
            if node.op is not CompareOperator.eq:
                raise ScimError(400, f"{node.attr_path} kan kun filtreres med eq.", "invalidFilter")
            return target.condition(value)
        column: ColumnElement[Any] = target.column
        kind = target.kind
        if kind == "boolean":
            if not isinstance(value, bool) or node.op not in (
                CompareOperator.eq,
                CompareOperator.ne,
            ):
                raise ScimError(
                    400,
                    f"{node.attr_path} er sand/falsk og sammenlignes med eq true/false.",
                    "invalidFilter",
                )
            return column.is_(value) if node.op is CompareOperator.eq else column.is_not(value)
        if kind == "id":
            if node.op not in (CompareOperator.eq, CompareOperator.ne):
                raise ScimError(
                    400, f"{node.attr_path} kan kun filtreres med eq og ne.", "invalidFilter"
                )
            number = _as_id(value)
            if number is None:
                return false() if node.op is CompareOperator.eq else true()
            return column == number if node.op is CompareOperator.eq else column != number
        if kind == "datetime":
            moment = _as_datetime(value, node)
            ops = {
                CompareOperator.eq: column == moment,
                CompareOperator.ne: column != moment,
                CompareOperator.gt: column > moment,
                CompareOperator.ge: column >= moment,
                CompareOperator.lt: column < moment,
                CompareOperator.le: column <= moment,
            }
            if node.op not in ops:
                raise ScimError(
                    400,
                    f"{node.attr_path} er et tidspunkt; brug eq, gt, ge, lt eller le.",
                    "invalidFilter",
                )
            return ops[node.op]
        if not isinstance(value, str):
            raise ScimError(
                400, f"{node.attr_path} sammenlignes med tekst i anførselstegn.", "invalidFilter"
            )
        if kind == "string":
            column, value = func.lower(column), value.lower()
        pattern = _escape_like(value)
        string_ops: dict[CompareOperator, ColumnElement[bool]] = {
            CompareOperator.eq: column == value,
            CompareOperator.ne: column != value,
            CompareOperator.co: column.like(f"%{pattern}%", escape="\\"),
            CompareOperator.sw: column.like(f"{pattern}%", escape="\\"),
            CompareOperator.ew: column.like(f"%{pattern}", escape="\\"),
            CompareOperator.gt: column > value,
            CompareOperator.ge: column >= value,
            CompareOperator.lt: column < value,
            CompareOperator.le: column <= value,
        }
        return string_ops[node.op]


def _name(path: AttrPath) -> str:
    return f"{path.attr}.{path.sub_attr}" if path.sub_attr else path.attr


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _as_id(value: Any) -> int | None:
    text = str(value)
    return int(text) if text.isdigit() and len(text) < 18 else None


def _as_datetime(value: Any, node: Comparison) -> datetime:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ScimError(
            400, f"{node.attr_path} skal sammenlignes med et tidspunkt (ISO 8601).", "invalidFilter"
        ) from exc


def _python_compare(left: Any, op: CompareOperator, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        left, right = left.lower(), right.lower()
    if op is CompareOperator.eq:
        return bool(left == right)
    if op is CompareOperator.ne:
        return bool(left != right)
    if isinstance(left, str) and isinstance(right, str):
        return {
            CompareOperator.co: right in left,
            CompareOperator.sw: left.startswith(right),
            CompareOperator.ew: left.endswith(right),
        }.get(op, False)
    return False
