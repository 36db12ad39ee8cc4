"""core_competency_*: frameworks, competencies and the competencies of a course.

Modelled on ``competency/classes/external.php``, ``api.php`` and the
persistents ``competency_framework``, ``competency`` and ``course_competency``:

- every function first requires competencies to be enabled
  (``competenciesarenotenabled``) and a ``moodle/competency:*`` capability
  (``nopermissions``, a ``required_capability_exception``);
- a framework, competency or course that does not exist is ``invalidrecord``
  (``dml_missing_record_exception``), as ``new competency($id)`` throws;
- a record that fails the persistent's validation (an idnumber already in use,
  an unknown scale...) is ``invalidpersistenterror`` with the reasons in the
  message; a name or idnumber longer than its ``CHAR(100)`` column is the
  database's ``dmlwriteexception``;
- the external layer cleans ``PARAM_TEXT`` (tags stripped) and
  ``PARAM_CLEANHTML`` (HTML purified: a bare ``&`` becomes ``&amp;``); exports
  pass names through ``format_string`` (which escapes a bare ``&``), and a
  framework's description through ``format_text``;
- ``add_competency_to_course`` answers ``false`` for a link that exists,
  ``remove_competency_from_course`` ``false`` for one that does not.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from tests.fakes.moodle.schema import (
    Multiple,
    Single,
    Value,
    WsError,
    invalid_parameter,
    missing_record,
)
from tests.fakes.moodle.service import ServiceConfig
from tests.fakes.moodle.site import (
    SYSTEM_CONTEXT_ID,
    MoodleSite,
    SimCompetency,
    SimCourseCompetency,
    SimFramework,
)

FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN = 0, 1, 2, 4
FORMATS = (FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN)
#: ``competency_framework::get_taxonomies_list()``
TAXONOMIES = frozenset(
    {
        "behaviour",
        "competency",
        "concept",
        "domain",
        "indicator",
        "level",
        "outcome",
        "practice",
        "proficiency",
        "skill",
        "value",
    }
)
#: ``competency.shortname``/``idnumber`` and ``competency_framework.shortname``/``idnumber``.
CHAR_COLUMN_LENGTH = 100
#: Context ids of course categories in the simulator: this plus the category id.
CATEGORY_CONTEXT_BASE = 1000

VIEW = "moodle/competency:competencyview"
MANAGE = "moodle/competency:competencymanage"
COURSE_VIEW = "moodle/competency:coursecompetencyview"
COURSE_MANAGE = "moodle/competency:coursecompetencymanage"
_CAPABILITY_NAMES = {
    VIEW: "View competency frameworks",
    MANAGE: "Manage competency frameworks",
    COURSE_VIEW: "View course competencies",
    COURSE_MANAGE: "Manage course competencies",
}
IDNUMBER_TAKEN = "This ID number is already in use"
INVALID_DATA = "Invalid data value"

_CONTEXT = Single(
    {
        "contextid": Value("int", "default", 0),
        "contextlevel": Value("alpha", "default", ""),
        "instanceid": Value("int", "default", 0),
    }
)
_STAMPS = {
    "timecreated": Value("int", "default", 0),
    "timemodified": Value("int", "default", 0),
    "usermodified": Value("int", "default", 0),
}
LIST_FRAMEWORKS = Single(
    {
        "sort": Value("alphanumext", "default", "shortname"),
        "order": Value("alpha", "default", ""),
        "skip": Value("int", "default", 0),
        "limit": Value("int", "default", 0),
        "context": _CONTEXT,
        "includes": Value("alpha", "default", "children"),
        "onlyvisible": Value("bool", "default", False),
        "query": Value("raw", "default", ""),
    }
)
CREATE_FRAMEWORK = Single(
    {
        "competencyframework": Single(
            {
                "shortname": Value("raw"),
                "idnumber": Value("raw"),
                "description": Value("raw", "default", ""),
                "descriptionformat": Value("int", "default", FORMAT_HTML),
                "visible": Value("bool", "default", True),
                "scaleid": Value("int"),
                "scaleconfiguration": Value("raw"),
                "contextid": Value("int", "optional"),
                "contextlevel": Value("alpha", "optional"),
                "instanceid": Value("int", "optional"),
                "taxonomies": Value("raw", "default", ""),
                **_STAMPS,
            }
        )
    }
)
UPDATE_FRAMEWORK = Single(
    {
        "competencyframework": Single(
            {
                "id": Value("int"),
                "shortname": Value("raw", "optional"),
                "idnumber": Value("raw", "optional"),
                "description": Value("raw", "optional"),
                "descriptionformat": Value("int", "optional"),
                "visible": Value("bool", "optional"),
                "scaleid": Value("int", "optional"),
                "scaleconfiguration": Value("raw", "optional"),
                "contextid": Value("int", "optional"),
                "contextlevel": Value("alpha", "optional"),
                "instanceid": Value("int", "optional"),
                "taxonomies": Value("raw", "optional"),
                "timecreated": Value("int", "optional"),
                "timemodified": Value("int", "optional"),
                "usermodified": Value("int", "optional"),
            }
        )
    }
)
LIST_COMPETENCIES = Single(
    {
        "filters": Multiple(Single({"column": Value("alphanumext"), "value": Value("raw")})),
        "sort": Value("alphanumext", "default", ""),
        "order": Value("alpha", "default", ""),
        "skip": Value("int", "default", 0),
        "limit": Value("int", "default", 0),
    }
)
_COMPETENCY_FIELDS: dict[str, Value] = {
    "shortname": Value("raw"),
    "idnumber": Value("raw"),
    "description": Value("raw", "default", ""),
    "descriptionformat": Value("int", "default", FORMAT_HTML),
    "sortorder": Value("int", "default", None),
    "parentid": Value("int", "default", 0),
    "path": Value("raw", "default", "/0/"),
    "ruleoutcome": Value("int", "default", 0),
    "ruletype": Value("raw", "default", None),
    "ruleconfig": Value("raw", "default", None),
    "scaleid": Value("int", "default", None),
    "scaleconfiguration": Value("raw", "default", None),
    "competencyframeworkid": Value("int", "default", 0),
    **_STAMPS,
}
CREATE_COMPETENCY = Single({"competency": Single(dict(_COMPETENCY_FIELDS))})
UPDATE_COMPETENCY = Single(
    {
        "competency": Single(
            {
                "id": Value("int"),
                **{name: Value(v.kind, "optional") for name, v in _COMPETENCY_FIELDS.items()},
            }
        )
    }
)
COURSE_ID = Single({"id": Value("int")})
COURSE_AND_COMPETENCY = Single({"courseid": Value("int"), "competencyid": Value("int")})

#: Columns ``list_competencies`` may filter on (``$validcolumns`` in external.php).
_FILTER_COLUMNS = (
    "id",
    "shortname",
    "description",
    "sortorder",
    "idnumber",
    "parentid",
    "competencyframeworkid",
)
_SORT_COLUMNS = {
    **{column: column for column in (*_FILTER_COLUMNS, "path", "ruleoutcome")},
    "timecreated": "time_created",
    "timemodified": "time_modified",
}
_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BARE_AMPERSAND = re.compile(r"&(?![A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#x[0-9A-Fa-f]+;)")


# -- the functions ------------------------------------------------------------------------


def list_frameworks(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    context_id = _context_from_params(site, params["context"])
    if params["order"] not in ("", "ASC", "DESC"):
        raise invalid_parameter("Invalid order param. Must be ASC, DESC or empty.")
    _require_enabled(site)
    _require_any(service, VIEW, MANAGE)
    includes = params["includes"]
    frameworks = [
        f
        for f in site.competency_frameworks.values()
        if _context_included(f.contextid, context_id, includes)
    ]
    if params["onlyvisible"]:
        frameworks = [f for f in frameworks if f.visible]
    query = str(params["query"]).casefold()
    if query:
        frameworks = [
            f
            for f in frameworks
            if query in f.shortname.casefold() or query in f.idnumber.casefold()
        ]
    sort = params["sort"] or "id"
    columns = {"timecreated": "time_created", "timemodified": "time_modified"}
    if sort not in ("id", "shortname", "idnumber", "visible", "scaleid", "contextid", *columns):
        raise _read_error(f"ORDER BY {sort}")
    frameworks.sort(key=lambda f: (getattr(f, columns.get(sort, sort)), f.id))
    if params["order"] == "DESC":
        frameworks.reverse()
    return [_framework(site, service, f) for f in _page(frameworks, params)]


def create_framework(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    record = params["competencyframework"]
    context_id = _context_from_params(site, record, optional_keys=True)
    _require_enabled(site)
    _require_any(service, MANAGE)
    framework = SimFramework(
        id=0,
        shortname=clean_text(record["shortname"]),
        idnumber=record["idnumber"],
        description=record["description"],
        descriptionformat=record["descriptionformat"],
        visible=record["visible"],
        scaleid=record["scaleid"],
        scaleconfiguration=record["scaleconfiguration"],
        contextid=context_id,
        taxonomies=record["taxonomies"],
        time_created=site.now(),
        time_modified=site.now(),
    )
    _validate_framework(site, framework)
    _check_lengths("competency_framework", framework.shortname, framework.idnumber)
    framework.id = site.new_id("framework")
    site.competency_frameworks[framework.id] = framework
    return _framework(site, service, framework)


def update_framework(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    record = params["competencyframework"]
    framework = site.competency_frameworks.get(record["id"])
    _require_enabled(site)
    if framework is None:
        raise missing_record("competency_framework")
    _require_any(service, MANAGE)
    changed = SimFramework(**vars(framework))
    for name in ("idnumber", "description", "descriptionformat", "visible", "scaleid"):
        if name in record:
            setattr(changed, name, record[name])
    for name in ("scaleconfiguration", "taxonomies"):
        if name in record:
            setattr(changed, name, record[name])
    if "shortname" in record:
        changed.shortname = clean_text(record["shortname"])
    if record.get("contextid"):
        changed.contextid = record["contextid"]
    _validate_framework(site, changed, before=framework)
    _check_lengths("competency_framework", changed.shortname, changed.idnumber)
    changed.time_modified = site.now()
    site.competency_frameworks[framework.id] = changed
    return True


def list_competencies(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    if params["order"] not in ("", "ASC", "DESC"):
        raise invalid_parameter("Invalid order param. Must be ASC, DESC or empty.")
    filters: dict[str, str] = {}
    for item in params["filters"]:
        if item["column"] not in _FILTER_COLUMNS:
            raise invalid_parameter("Filter column was invalid")
        filters[item["column"]] = clean_text(item["value"])
    _require_enabled(site)
    if "competencyframeworkid" in filters:
        _framework_or_missing(site, _int_value(filters["competencyframeworkid"]))
    _require_any(service, VIEW, MANAGE)
    rows = [c for c in site.competencies.values() if _matches(c, filters)]
    sort = params["sort"]
    if sort and sort not in _SORT_COLUMNS:
        raise _read_error(f"ORDER BY {sort}")
    attribute = _SORT_COLUMNS.get(sort, "id")
    rows.sort(key=lambda c: (getattr(c, attribute), c.id))
    if params["order"] == "DESC":
        rows.reverse()
    return [_competency(service, c) for c in _page(rows, params)]


def create_competency(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    record = params["competency"]
    _require_enabled(site)
    framework = _framework_or_missing(site, record["competencyframeworkid"])
    _require_any(service, VIEW, MANAGE)
    _require_any(service, MANAGE)
    parent: SimCompetency | None = None
    if record["parentid"]:
        parent = site.competencies.get(record["parentid"])
        if parent is None:  # competency::get_parent() in before_validate
            raise missing_record("competency")
    competency = SimCompetency(
        id=0,
        competencyframeworkid=framework.id,
        shortname=clean_text(record["shortname"]),
        idnumber=record["idnumber"],
        description=clean_html(record["description"]),
        descriptionformat=record["descriptionformat"],
        parentid=record["parentid"],
        path=f"{parent.path}{parent.id}/" if parent else "/0/",
        sortorder=len(site.children(framework.id, record["parentid"])),
        time_created=site.now(),
        time_modified=site.now(),
        ruleoutcome=record["ruleoutcome"],
        ruletype=record["ruletype"],
        ruleconfig=record["ruleconfig"],
        scaleid=record["scaleid"],
        scaleconfiguration=record["scaleconfiguration"],
    )
    _validate_competency(site, competency, parent)
    _check_lengths("competency", competency.shortname, competency.idnumber)
    competency.id = site.new_id("competency")
    site.competencies[competency.id] = competency
    if parent is not None:  # api::create_competency resets the parent's rule
        parent.ruleoutcome, parent.ruletype, parent.ruleconfig = 0, None, None
        parent.time_modified = site.now()
    return _competency(service, competency)


def update_competency(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    record = params["competency"]
    _require_enabled(site)
    current = site.competencies.get(record["id"])
    if current is None:
        raise missing_record("competency")
    _require_any(service, VIEW, MANAGE)
    _require_any(service, MANAGE)
    changed = SimCompetency(**vars(current))
    # api::update_competency keeps sortorder, parentid and the framework whatever is sent.
    for name in ("idnumber", "descriptionformat", "ruleoutcome", "ruletype", "ruleconfig"):
        if name in record:
            setattr(changed, name, record[name])
    for name in ("scaleid", "scaleconfiguration"):
        if name in record:
            setattr(changed, name, record[name])
    if "shortname" in record:
        changed.shortname = clean_text(record["shortname"])
    if "description" in record:
        changed.description = clean_html(record["description"])
    parent = site.competencies.get(changed.parentid) if changed.parentid else None
    _validate_competency(site, changed, parent)
    _check_lengths("competency", changed.shortname, changed.idnumber)
    changed.time_modified = site.now()
    site.competencies[current.id] = changed
    return True


def list_course_competencies(
    site: MoodleSite, service: ServiceConfig, params: dict[str, Any]
) -> Any:
    course_id = _course_or_missing(site, params["id"])
    _require_enabled(site)
    _require_any(service, COURSE_VIEW, COURSE_MANAGE)
    return [
        {
            "competency": _competency(service, site.competencies[link.competencyid]),
            "coursecompetency": _course_competency(service, link),
        }
        for link in site.course_competency_links(course_id)
        if link.competencyid in site.competencies
    ]


def add_competency_to_course(
    site: MoodleSite, service: ServiceConfig, params: dict[str, Any]
) -> Any:
    course_id = _course_or_missing(site, params["courseid"])
    _require_enabled(site)
    _require_any(service, COURSE_MANAGE)
    competency = site.competencies.get(params["competencyid"])
    if competency is None:
        raise missing_record("competency")
    if not site.competency_frameworks[competency.competencyframeworkid].visible:
        raise WsError(
            "codingerror",
            "Coding error detected, it must be fixed by a programmer: A competency belonging "
            "to hidden framework can not be linked to course",
            exception="coding_exception",
        )
    if any(link.competencyid == competency.id for link in site.course_competency_links(course_id)):
        return False
    site.link_course_competency(course_id, competency.id)
    return True


def remove_competency_from_course(
    site: MoodleSite, service: ServiceConfig, params: dict[str, Any]
) -> Any:
    course_id = _course_or_missing(site, params["courseid"])
    _require_enabled(site)
    _require_any(service, COURSE_MANAGE)
    links = site.course_competency_links(course_id)
    found = next((link for link in links if link.competencyid == params["competencyid"]), None)
    if found is None:
        return False
    del site.course_competencies[found.id]
    for link in links:  # course_competency::after_delete closes the gap in sortorder
        if link.sortorder > found.sortorder:
            link.sortorder -= 1
    return True


# -- what Moodle does to texts ------------------------------------------------------------


def clean_text(value: str) -> str:
    """``clean_param(PARAM_TEXT)``: tags go, the rest stays (entities included)."""
    return _TAG.sub("", value)


def clean_html(value: str) -> str:
    """``clean_param(PARAM_CLEANHTML)``: HTML Purifier, reduced to what matters here."""
    return _BARE_AMPERSAND.sub("&amp;", _SCRIPT.sub("", value)).strip()


def format_string(value: str) -> str:
    """``format_string`` escapes a bare ``&``; everything else passes (filters are off)."""
    return _BARE_AMPERSAND.sub("&amp;", value)


def format_text(value: str, text_format: int) -> str:
    if text_format == FORMAT_PLAIN:
        return html.escape(value).replace("\n", "<br />")
    return clean_html(value)


# -- helpers ------------------------------------------------------------------------------


def _require_enabled(site: MoodleSite) -> None:
    if not site.competencies_enabled:
        raise WsError("competenciesarenotenabled", "Competencies are not enabled.")


def _require_any(service: ServiceConfig, *capabilities: str) -> None:
    if not service.capabilities.intersection(capabilities):
        raise WsError(
            "nopermissions",
            "Sorry, but you do not currently have permissions to do that "
            f"({_CAPABILITY_NAMES[capabilities[0]]}).",
            exception="required_capability_exception",
        )


def _context_from_params(
    site: MoodleSite, params: dict[str, Any], *, optional_keys: bool = False
) -> int:
    """``external_api::get_context_from_params``; frameworks live in system or category contexts."""
    context_id = params.get("contextid") or 0
    level = params.get("contextlevel") or ""
    if context_id:
        if context_id == SYSTEM_CONTEXT_ID:
            return context_id
        if context_id - CATEGORY_CONTEXT_BASE in site.categories:
            return context_id
        raise invalid_parameter("Context does not exist")
    has_instance = "instanceid" in params and params["instanceid"] is not None
    if not level or (optional_keys and not has_instance):
        raise invalid_parameter(
            "Missing parameters, please provide either context level with instance id, "
            "or context id"
        )
    if level == "system":
        return SYSTEM_CONTEXT_ID
    if level == "coursecat":
        if params["instanceid"] in site.categories:
            return CATEGORY_CONTEXT_BASE + params["instanceid"]
        raise invalid_parameter("Context does not exist")
    if level in ("course", "module", "user", "block"):
        raise _invalid_persistent({"contextid": "Invalid context"})
    raise invalid_parameter(f"Invalid context level = {level}")


def _context_included(framework_context: int, context_id: int, includes: str) -> bool:
    if framework_context == context_id:
        return True
    if includes == "children":
        return context_id == SYSTEM_CONTEXT_ID
    if includes == "parents":
        return framework_context == SYSTEM_CONTEXT_ID
    return False


def _framework_or_missing(site: MoodleSite, framework_id: int) -> SimFramework:
    framework = site.competency_frameworks.get(framework_id)
    if framework is None:
        raise missing_record("competency_framework")
    return framework


def _course_or_missing(site: MoodleSite, course_id: int) -> int:
    """``context_course::instance($id)`` (MUST_EXIST) of a course that may be gone."""
    if course_id not in site.courses:
        raise missing_record("course")
    return course_id


def _validate_framework(
    site: MoodleSite, framework: SimFramework, before: SimFramework | None = None
) -> None:
    errors: dict[str, str] = {}
    if framework.descriptionformat not in FORMATS:
        errors["descriptionformat"] = INVALID_DATA
    taken = [
        f
        for f in site.competency_frameworks.values()
        if f.idnumber == framework.idnumber and f.id != framework.id
    ]
    if taken:
        errors["idnumber"] = IDNUMBER_TAKEN
    if framework.scaleid not in site.scales:
        errors["scaleid"] = "Invalid scale ID"
    if not _valid_scale_configuration(framework.scaleconfiguration, framework.scaleid):
        errors["scaleconfiguration"] = (
            "You must configure the scale by selecting default and proficient values."
        )
    if before is not None and before.contextid != framework.contextid:
        errors["contextid"] = "Invalid context"
    for term in framework.taxonomies.split(","):
        if term and term not in TAXONOMIES:
            errors["taxonomies"] = f"Invalid taxonomy: {term}"
            break
    if errors:
        raise _invalid_persistent(errors)


def _valid_scale_configuration(configuration: str | None, scale_id: int) -> bool:
    """``competency_framework::validate_scaleconfiguration``."""
    try:
        items = json.loads(configuration or "")
    except ValueError:
        return False
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        return False
    if str(items[0].get("scaleid", "")) != str(scale_id):
        return False
    rest = [item for item in items[1:] if isinstance(item, dict)]
    has_default = any(item.get("scaledefault") for item in rest)
    has_proficient = any(item.get("proficient") for item in rest)
    return has_default and has_proficient


def _validate_competency(
    site: MoodleSite, competency: SimCompetency, parent: SimCompetency | None
) -> None:
    errors: dict[str, str] = {}
    if competency.descriptionformat not in FORMATS:
        errors["descriptionformat"] = INVALID_DATA
    if parent is not None and parent.competencyframeworkid != competency.competencyframeworkid:
        errors["parentid"] = INVALID_DATA
    if competency.ruleoutcome not in (0, 1, 2, 3):
        errors["ruleoutcome"] = INVALID_DATA
    taken = [
        c
        for c in site.competencies.values()
        if c.competencyframeworkid == competency.competencyframeworkid
        and c.idnumber == competency.idnumber
        and c.id != competency.id
    ]
    if taken:
        errors["idnumber"] = IDNUMBER_TAKEN
    if competency.scaleid is not None and competency.scaleid not in site.scales:
        errors["scaleid"] = "Invalid scale ID"
    if errors:
        raise _invalid_persistent(errors)


def _invalid_persistent(errors: dict[str, str]) -> WsError:
    """``core\\invalid_persistent_exception``: the reasons for people, the fields in debuginfo."""
    return WsError(
        "invalidpersistenterror",
        "Error: " + ", ".join(errors.values()),
        exception="core\\invalid_persistent_exception",
        debuginfo=" - ".join(f"{key}: {message}" for key, message in errors.items()),
    )


def _check_lengths(table: str, shortname: str, idnumber: str) -> None:
    """The columns are CHAR(100); PostgreSQL refuses longer values, Moodle reports that."""
    for column, value in (("shortname", shortname), ("idnumber", idnumber)):
        if len(value) > CHAR_COLUMN_LENGTH:
            raise WsError(
                "dmlwriteexception",
                "Error writing to database",
                exception="dml_write_exception",
                debuginfo=(
                    "ERROR:  value too long for type character varying(100)\n"
                    f"INSERT INTO mdl_{table} ({column}, ...)"
                ),
            )


def _read_error(sql: str) -> WsError:
    return WsError(
        "dmlreadexception",
        "Error reading from database",
        exception="dml_read_exception",
        debuginfo=f"ERROR:  column does not exist\n{sql}",
    )


def _matches(competency: SimCompetency, filters: dict[str, str]) -> bool:
    for column, value in filters.items():
        actual = getattr(competency, column)
        if isinstance(actual, int):
            if _int_value(value) != actual:
                return False
        elif str(actual) != value:
            return False
    return True


def _int_value(value: str) -> int | None:
    text = value.strip()
    return int(text) if text.lstrip("-").isdigit() else None


def _page(rows: list[Any], params: dict[str, Any]) -> list[Any]:
    skip, limit = max(params["skip"], 0), params["limit"]
    return rows[skip : skip + limit] if limit > 0 else rows[skip:]


def _framework(site: MoodleSite, service: ServiceConfig, framework: SimFramework) -> dict[str, Any]:
    if framework.contextid == SYSTEM_CONTEXT_ID:
        name = noprefix = "System"
    else:
        noprefix = site.categories.get(framework.contextid - CATEGORY_CONTEXT_BASE, "")
        name = f"Category: {noprefix}"
    count = sum(1 for c in site.competencies.values() if c.competencyframeworkid == framework.id)
    return {
        "shortname": format_string(framework.shortname),
        "idnumber": framework.idnumber,
        "description": format_text(framework.description, framework.descriptionformat),
        "descriptionformat": FORMAT_HTML,
        "visible": framework.visible,
        "scaleid": framework.scaleid,
        "scaleconfiguration": framework.scaleconfiguration,
        "contextid": framework.contextid,
        "taxonomies": framework.taxonomies,
        "id": framework.id,
        "timecreated": framework.time_created,
        "timemodified": framework.time_modified,
        "usermodified": service.user_id,
        "canmanage": MANAGE in service.capabilities,
        "competenciescount": count,
        "contextname": name,
        "contextnamenoprefix": noprefix,
    }


def _competency(service: ServiceConfig, competency: SimCompetency) -> dict[str, Any]:
    # The description is PARAM_CLEANHTML, not PARAM_RAW, so the exporter does not pair it
    # with descriptionformat: it comes back as stored.
    return {
        "shortname": format_string(competency.shortname),
        "idnumber": competency.idnumber,
        "description": competency.description,
        "descriptionformat": competency.descriptionformat,
        "sortorder": competency.sortorder,
        "parentid": competency.parentid,
        "path": competency.path,
        "ruleoutcome": competency.ruleoutcome,
        "ruletype": competency.ruletype,
        "ruleconfig": competency.ruleconfig,
        "scaleid": competency.scaleid,
        "scaleconfiguration": competency.scaleconfiguration,
        "competencyframeworkid": competency.competencyframeworkid,
        "id": competency.id,
        "timecreated": competency.time_created,
        "timemodified": competency.time_modified,
        "usermodified": service.user_id,
    }


def _course_competency(service: ServiceConfig, link: SimCourseCompetency) -> dict[str, Any]:
    return {
        "courseid": link.courseid,
        "competencyid": link.competencyid,
        "sortorder": link.sortorder,
        "ruleoutcome": link.ruleoutcome,
        "id": link.id,
        "timecreated": link.time_created,
        "timemodified": link.time_modified,
        "usermodified": service.user_id,
    }
