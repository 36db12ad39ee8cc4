"""core_course_get_courses_by_field and core_course_get_contents."""

from __future__ import annotations

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
from tests.fakes.moodle.site import MoodleSite, SimCourse, SimModule

COURSES_BY_FIELD = Single(
    {
        "field": Value("alpha", "default", ""),
        "value": Value("raw", "default", ""),
    }
)
CONTENTS = Single(
    {
        "courseid": Value("int"),
        "options": Multiple(Single({"name": Value("alphanum"), "value": Value("raw")}), "default"),
    }
)
_CONTENT_OPTIONS = {
    "excludemodules",
    "excludecontents",
    "includestealthmodules",
    "sectionid",
    "sectionnumber",
    "cmid",
    "modname",
    "modid",
}


def courses_by_field(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    field, value = params["field"], params["value"]
    warnings: list[dict[str, Any]] = []
    courses: list[SimCourse]
    if field == "":
        courses = [site.courses[key] for key in sorted(site.courses)]
    elif field in ("id", "category"):
        wanted = _clean_int(value)
        attribute = "id" if field == "id" else "category_id"
        courses = [c for c in site.courses.values() if getattr(c, attribute) == wanted]
    elif field == "ids":
        courses = []
        for part in str(value).split(","):
            course = site.courses.get(_clean_int(part))
            if course is None:
                warnings.append(
                    {
                        "item": "course",
                        "itemid": _clean_int(part),
                        "warningcode": "1",
                        "message": "No access rights in course context",
                    }
                )
            else:
                courses.append(course)
    elif field in ("shortname", "idnumber"):
        courses = [c for c in site.courses.values() if getattr(c, field) == value]
    else:
        raise invalid_parameter("Invalid field name")
    rows = [_course(site, service, course) for course in sorted(courses, key=lambda c: c.id)]
    return {"courses": rows, "warnings": warnings}


def contents(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    for option in params["options"]:
        if option["name"].strip() not in _CONTENT_OPTIONS:
            raise WsError("errorinvalidparam", f'The param "{option["name"]}" is invalid.')
    course = site.courses.get(params["courseid"])
    if course is None:
        raise missing_record("course")
    modules = site.course_module_list(course.id)
    last_section = max([1, *(m.section for m in modules)])
    sections = []
    for number in range(last_section + 1):
        sections.append(
            {
                "id": course.id * 1000 + number,
                "name": "Generelt" if number == 0 else f"Emne {number}",
                "visible": 1,
                "summary": "",
                "summaryformat": 1,
                "section": number,
                "hiddenbynumsections": 0,
                "uservisible": True,
                # get_course_contents skips a module that is not uservisible (nor shown on the
                # course page); a missing mod/<type>:view makes it neither.
                "modules": [
                    _module(service, m)
                    for m in modules
                    if m.section == number and service.can_see_module(m.modname)
                ],
            }
        )
    return sections


def _course(site: MoodleSite, service: ServiceConfig, course: SimCourse) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": course.id,
        "fullname": course.fullname,
        "displayname": course.fullname,
        "shortname": course.shortname,
        "courseimage": f"{service.site_url}/course/generated/{course.id}.svg",
        "categoryid": course.category_id,
        "categoryname": site.categories.get(course.category_id, ""),
        "sortorder": 10000 + course.id,
        "summary": course.summary,
        "summaryformat": 1,
        "summaryfiles": [],
        "overviewfiles": [],
        "showactivitydates": True,
        "showcompletionconditions": True,
        "contacts": [],
        "enrollmentmethods": ["manual"],
        "customfields": [],
        "format": course.format,
        "showgrades": 1,
        "newsitems": 5,
        "startdate": course.time_created,
        "enddate": 0,
        "maxbytes": 0,
        "showreports": 0,
        "visible": int(course.visible),
        "groupmode": 0,
        "groupmodeforce": 0,
        "defaultgroupingid": 0,
        "enablecompletion": int(course.completion_enabled),
        "completionnotify": 0,
        "lang": "",
        "theme": "",
        "marker": 0,
        "filters": [],
        "courseformatoptions": [{"name": "hiddensections", "value": 1}],
    }
    if service.sees_manager_fields:
        row |= {
            "idnumber": course.idnumber,
            "legacyfiles": 0,
            "calendartype": "",
            "timecreated": course.time_created,
            "timemodified": course.time_modified,
            "requested": 0,
            "cacherev": course.time_modified,
        }
    return row


def _module(service: ServiceConfig, module: SimModule) -> dict[str, Any]:
    return {
        "id": module.cmid,
        "url": f"{service.site_url}/mod/{module.modname}/view.php?id={module.cmid}",
        "name": module.name,
        "instance": module.instance,
        "contextid": 5000 + module.cmid,
        "visible": int(module.visible),
        "uservisible": True,
        "visibleoncoursepage": 1,
        "modicon": f"{service.site_url}/theme/image.php/boost/{module.modname}/1/monologo",
        "modname": module.modname,
        "modplural": f"{module.modname}s",
        "indent": 0,
        "onclick": "",
        "afterlink": None,
        "customdata": '""',
        "noviewlink": False,
        "completion": module.completion,
        "downloadcontent": 1,
        "dates": [],
        "groupmode": 0,
    }


def _clean_int(value: Any) -> int:
    """PHP's ``clean_param(PARAM_INT)``: leading digits, else 0."""
    text = str(value).strip()
    digits = ""
    for char in text.lstrip("-"):
        if not char.isdigit():
            break
        digits += char
    if not digits:
        return 0
    return -int(digits) if text.startswith("-") else int(digits)
