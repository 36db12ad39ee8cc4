"""The ``data`` of ``graphql/operations/LmsCataloguePage.graphql``, built from plain rows.

Per-field execution of that document costs about 15,000 resolver calls a page;
this builds the same response (global ids, enum names, ISO datetimes, floats,
key order of the selection) from the rows of ``services.lms_catalogue_page``
in one pass. Nothing here lists a field: the document's selection, read once
at start-up (``page_plan``), says which columns to read and which keys to
write, and each type's field spec (``core.field_spec``) says how to encode a
plain field. Only the relations below are written out, as the resolvers
answer them; a selection with anything else is refused at start-up.

``DOCUMENT_SHA256`` pins the document this was checked against (by the
byte-for-byte tests of tests/api/test_lms_page_fast_path.py). A document that
differs stops start-up in production and turns the fast path off in
development (``lms_page_executor``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from catalogue.graphql.competence.types import CompetenceLinkType
from catalogue.graphql.core.field_spec import Encode, field_spec
from catalogue.graphql.core.pagination import PageWindow, count_rows
from catalogue.graphql.core.persisted import PersistedOperation
from catalogue.graphql.courses.types import ActivityType, CourseRunType, CourseType
from catalogue.graphql.profile.types import CompetenceStatementType
from catalogue.models import Activity, CompetenceLink, CompetenceStatement, Course, CourseRun
from catalogue.services.course_search import CourseFilter, course_search_statement
from catalogue.services.identity import Viewer
from catalogue.services.lms_catalogue_page import (
    LINK_KEYS,
    Column,
    CourseDetails,
    PageColumns,
    PlainRow,
    course_details,
    course_rows,
    row_columns,
)
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    parse,
)

OPERATION_NAME = "LmsCataloguePage"
DOCUMENT_SHA256 = "45ef18dc2ce354db9a82fc55f839ef044141f88362b14bd0885d7eb523355380"
DOCUMENT_PATH = "graphql/operations/LmsCataloguePage.graphql"
#: The root field's arguments, each given by the variable of the same name.
VARIABLES = ("first", "after")
PAGE_INFO = {
    "hasNextPage": "has_next_page",
    "hasPreviousPage": "has_previous_page",
    "startCursor": "start_cursor",
    "endCursor": "end_cursor",
}
NONE: list[PlainRow] = []

#: One key of an object in the response: its value from the row and the page's details.
Getter = Callable[[PlainRow, CourseDetails], Any]


class FastPathUnavailableError(ValueError):
    """The document is not the one the fast path was checked against, or selects what it lacks."""


@dataclass(frozen=True)
class Selected:
    """A field of the document's selection, with fragments spread in place."""

    name: str
    children: tuple[Selected, ...] = ()
    arguments: Mapping[str, str] = field(default_factory=dict)  # argument -> variable


@dataclass(frozen=True)
class PagePlan:
    """What the document selects: the columns to read and how to write each object."""

    default_first: int | None
    columns: PageColumns
    connection: tuple[Selected, ...]
    course: Getter


def page_plan(operation: PersistedOperation | None) -> PagePlan:
    """The plan for the persisted document, if it is the one ``DOCUMENT_SHA256`` pins."""
    if operation is None:
        raise FastPathUnavailableError(f"{DOCUMENT_PATH} findes ikke")
    if operation.sha256 != DOCUMENT_SHA256:
        raise FastPathUnavailableError(
            f"{DOCUMENT_PATH} har sha256 {operation.sha256}, men den hurtige vej i "
            f"catalogue/graphql/courses/lms_page.py er kontrolleret mod {DOCUMENT_SHA256} "
            "(DOCUMENT_SHA256): kør tests/api/test_lms_page_fast_path.py, og sæt så "
            "DOCUMENT_SHA256 til den nye hash"
        )
    return compile_plan(operation.document)


def compile_plan(document: str) -> PagePlan:
    """The plan for any document of this operation's shape; refuses what it cannot answer."""
    try:
        parsed = parse(document)
    except GraphQLError as exc:
        raise FastPathUnavailableError(f"{DOCUMENT_PATH}: {exc.message}") from exc
    fragments = {
        d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)
    }
    [operation] = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    root = _selections(operation.selection_set, fragments)
    if [s.name for s in root] != ["courses"] or dict(root[0].arguments) != {
        name: name for name in VARIABLES
    }:
        raise _refused("Query", "roden skal være courses(first: $first, after: $after)")
    default_first = None
    for variable in operation.variable_definitions or ():
        if variable.variable.name.value == "first" and isinstance(
            variable.default_value, IntValueNode
        ):
            default_first = int(variable.default_value.value)
    columns = _Columns()
    connection = root[0].children
    nodes = [s for s in connection if s.name == "nodes"]
    for selected in connection:
        if selected.name == "pageInfo":
            if not selected.children or not {c.name for c in selected.children} <= set(PAGE_INFO):
                raise _refused("PageInfo", "kun " + ", ".join(PAGE_INFO))
            if any(c.children for c in selected.children):
                raise _refused("PageInfo", "felterne har ingen underfelter")
        elif selected.name not in ("totalCount", "nodes") or (
            selected.name == "totalCount" and selected.children
        ):
            raise _refused("CourseConnection", selected.name)
    course_selection = nodes[0].children if nodes else ()
    _course(course_selection, columns)  # the first pass finds every column a row holds
    columns.settle()
    course = _course(course_selection, columns)  # the second knows where each one sits
    return PagePlan(default_first, columns.frozen(), connection, course)


def catalogue_page(
    session: Session, viewer: Viewer | None, window: PageWindow, plan: PagePlan
) -> dict[str, Any]:
    """What ``courses(first:, after:)`` resolves to with no filter, in the document's shape."""
    statement = course_search_statement(session, CourseFilter(), viewer=viewer)
    keyset = window.keyset(session, statement)
    total = count_rows(session, statement)
    page = course_rows(session, statement, plan.columns, keyset)
    courses = page.rows
    details = course_details(session, courses, viewer, plan.columns)
    info = window.page_info(page)
    connection: dict[str, Any] = {}
    for selected in plan.connection:
        if selected.name == "totalCount":
            connection["totalCount"] = total
        elif selected.name == "pageInfo":
            connection["pageInfo"] = {
                c.name: getattr(info, PAGE_INFO[c.name]) for c in selected.children
            }
        else:
            connection["nodes"] = [plan.course(course, details) for course in courses]
    return {"courses": connection}


@dataclass
class _Columns:
    """The columns the plan's selection needs, gathered while it is compiled.

    Rows are read by position (a ``Row``'s attribute access costs ten times an
    index, which showed in the pull's time), so the getters are built twice: once
    to gather the columns, and again once ``settle`` knows their positions.
    """

    course: list[Column] = field(default_factory=list)
    activity: list[Column] = field(default_factory=list)
    run: list[Column] = field(default_factory=list)
    link: list[Column] = field(default_factory=list)
    statement: list[Column] = field(default_factory=list)
    positions: dict[str, dict[str, int]] = field(default_factory=dict)

    def want(self, group: str, column: Column) -> int:
        """Adds the column to its group's rows; its position there (0 until settled)."""
        wanted: list[Column] = getattr(self, group)
        if all(column.key != known.key for known in wanted):
            wanted.append(column)
        return self.positions.get(group, {}).get(column.key, 0)

    def settle(self) -> None:
        """Where each column sits in its rows, as ``PageColumns`` lays them out."""
        for group in ("course", "activity", "run", "link"):
            wanted: list[Column] = getattr(self, group)
            self.positions[group] = {column.key: i for i, column in enumerate(wanted)}
        after_link = len(row_columns(self.link, LINK_KEYS))
        self.positions["statement"] = {
            column.key: after_link + i for i, column in enumerate(self.statement)
        }

    def frozen(self) -> PageColumns:
        return PageColumns(
            course=tuple(self.course),
            activity=tuple(self.activity),
            run=tuple(self.run),
            link=tuple(self.link),
            statement=tuple(self.statement),
        )


#: A relation the fast path answers: its selection, the columns sink -> the key's getter.
Relation = Callable[[tuple[Selected, ...], _Columns], Getter]


def _course(selection: tuple[Selected, ...], columns: _Columns) -> Getter:
    def activities(children: tuple[Selected, ...], columns: _Columns) -> Getter:
        activity = _activity(children, columns)
        return lambda c, d: [activity(a, d) for a in d.activities.get(c.id, NONE)]

    def runs(children: tuple[Selected, ...], columns: _Columns) -> Getter:
        relations = {"seatsLeft": _seats_left}
        run = _object(CourseRunType, CourseRun, "run", children, columns, relations)
        return lambda c, d: [run(r, d) for r in d.runs.get(c.id, NONE)]

    def links(children: tuple[Selected, ...], columns: _Columns) -> Getter:
        link = _link(children, columns)
        return lambda c, d: [link(row, d) for row in d.course_links.get(c.id, NONE)]

    relations = {"activities": activities, "runs": runs, "competenceLinks": links}
    return _object(CourseType, Course, "course", selection, columns, relations)


def _activity(selection: tuple[Selected, ...], columns: _Columns) -> Getter:
    def links(children: tuple[Selected, ...], columns: _Columns) -> Getter:
        link = _link(children, columns)
        return lambda a, d: [link(row, d) for row in d.activity_links.get(a.id, NONE)]

    relations = {"competenceLinks": links}
    return _object(ActivityType, Activity, "activity", selection, columns, relations)


def _link(selection: tuple[Selected, ...], columns: _Columns) -> Getter:
    def statement(children: tuple[Selected, ...], columns: _Columns) -> Getter:
        return _object(
            CompetenceStatementType, CompetenceStatement, "statement", children, columns, {}
        )

    relations = {"statement": statement}
    return _object(CompetenceLinkType, CompetenceLink, "link", selection, columns, relations)


def _seats_left(children: tuple[Selected, ...], columns: _Columns) -> Getter:
    if children:
        raise _refused("CourseRun", "seatsLeft har ingen underfelter")
    return lambda r, d: d.seats_left[r.id]


def _object(
    node_type: type[Any],
    model: type[Any],
    group: str,
    selection: tuple[Selected, ...],
    columns: _Columns,
    relations: Mapping[str, Relation],
) -> Getter:
    """The getter of one object: its plain fields from the spec, its relations as given.

    Consecutive plain fields are read from the row in one ``itemgetter`` call: a
    page has some thousand objects, and a call per field showed in the pull's time.
    """
    spec = field_spec(node_type)
    parts: list[_Part] = []
    scalars: list[tuple[str, int, Encode | None]] = []
    for selected in selection:
        relation = relations.get(selected.name)
        scalar = spec.scalars.get(selected.name)
        if relation is not None:
            if scalars:
                parts.append(_scalars(scalars))
                scalars = []
            parts.append(_relation(selected.name, relation(selected.children, columns)))
        elif scalar is not None and not selected.children and scalar.encodable:
            position = columns.want(group, getattr(model, scalar.attribute))
            scalars.append((selected.name, position, scalar.encode))
        else:
            raise _refused(spec.type_name, selected.name)
    if scalars:
        parts.append(_scalars(scalars))

    def getter(row: PlainRow, details: CourseDetails) -> dict[str, Any]:
        output: dict[str, Any] = {}
        for part in parts:
            part(row, details, output)
        return output

    return getter


#: Writes some of an object's keys, in the document's order, into its output.
_Part = Callable[[PlainRow, CourseDetails, dict[str, Any]], None]


def _scalars(fields: list[tuple[str, int, Encode | None]]) -> _Part:
    keys = [key for key, _, _ in fields]
    encoders = [encode for _, _, encode in fields]
    positions = [position for _, position, _ in fields]
    read = itemgetter(*positions) if len(positions) > 1 else _one(itemgetter(positions[0]))

    def part(row: PlainRow, _details: CourseDetails, output: dict[str, Any]) -> None:
        for key, encode, value in zip(keys, encoders, read(row), strict=True):
            output[key] = value if encode is None else encode(value)

    return part


def _one(read: Callable[[PlainRow], Any]) -> Callable[[PlainRow], tuple[Any]]:
    return lambda row: (read(row),)


def _relation(key: str, get: Getter) -> _Part:
    def part(row: PlainRow, details: CourseDetails, output: dict[str, Any]) -> None:
        output[key] = get(row, details)

    return part


def _selections(
    selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode]
) -> tuple[Selected, ...]:
    """The fields of a selection set in response order; refuses what would change the keys."""
    selected: list[Selected] = []
    for node in selection_set.selections if selection_set else ():
        if node.directives:
            raise _refused("", "direktiver (@include, @skip) i dokumentet")
        if isinstance(node, FragmentSpreadNode):
            fragment = fragments[node.name.value]
            if fragment.directives:
                raise _refused("", "direktiver (@include, @skip) i dokumentet")
            selected.extend(_selections(fragment.selection_set, fragments))
        elif isinstance(node, FieldNode):
            if node.alias is not None:
                raise _refused("", f"alias {node.alias.value}")
            arguments = {}
            for argument in node.arguments or ():
                if not isinstance(argument.value, VariableNode):
                    raise _refused("", f"argumentet {argument.name.value} uden variabel")
                arguments[argument.name.value] = argument.value.name.value
            children = _selections(node.selection_set, fragments)
            selected.append(Selected(node.name.value, children, arguments))
        else:
            raise _refused("", "inline-fragmenter (... on)")
    names = [s.name for s in selected]
    if len(set(names)) != len(names):
        raise _refused("", "et felt valgt to gange på samme niveau")
    if any(s.arguments for s in selected) and names != ["courses"]:
        raise _refused("", "argumenter uden for courses")
    return tuple(selected)


def _refused(type_name: str, what: str) -> FastPathUnavailableError:
    where = f"{type_name}: " if type_name else ""
    return FastPathUnavailableError(
        f"{DOCUMENT_PATH} vælger noget, den hurtige vej ikke kan svare på ({where}{what}); "
        "tilføj det i catalogue/graphql/courses/lms_page.py"
    )
