"""core_user_get_users_by_field and core_enrol_get_enrolled_users."""

from __future__ import annotations

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
from tests.fakes.moodle.site import ROLES, MoodleSite, SimUser

USERS_BY_FIELD = Single({"field": Value("alpha"), "values": Multiple(Value("raw"))})
ENROLLED_USERS = Single(
    {
        "courseid": Value("int"),
        "options": Multiple(
            Single({"name": Value("alphanumext"), "value": Value("raw")}), "default"
        ),
    }
)
_PICTURE = "https://moodle.test/theme/image.php/boost/core/1/u/"


def users_by_field(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    field = params["field"]
    if field not in ("id", "idnumber", "username", "email"):
        raise WsError(
            "codingerror",
            "Coding error detected, it must be fixed by a programmer: invalid field parameter",
            exception="coding_exception",
            debuginfo=f"The search field '{field}' is not supported, "
            "look at the web service documentation",
        )
    found: set[int] = set()
    for value in params["values"]:
        cleaned = _clean(field, value)
        if cleaned != value:
            raise invalid_parameter(
                f"The field '{field}' value is invalid: {value}(cleaned value: {cleaned})"
            )
        if field == "id":
            user_id = int(value)
            if user_id in site.users:
                found.add(user_id)
        elif value in site.user_index[field]:
            found.add(site.user_index[field][value])
    return [user_details(site, site.users[user_id]) for user_id in sorted(found)]


def enrolled_users(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    limitfrom, limitnumber, sortby, descending = 0, 0, "id", False
    userfields: list[str] = []
    for option in params["options"]:
        name, value = option["name"], option["value"]
        if name == "limitfrom":
            limitfrom = _int_or_zero(value)
        elif name == "limitnumber":
            limitnumber = _int_or_zero(value)
        elif name == "userfields":
            userfields = [f.strip() for f in value.split(",") if f.strip()]
        elif name == "sortby":
            if value not in ("id", "firstname", "lastname", "siteorder"):
                raise invalid_parameter(
                    f"Invalid value for sortby parameter (value: {value}),"
                    "allowed values are: id,firstname,lastname,siteorder"
                )
            sortby = "lastname" if value == "siteorder" else value
        elif name == "sortdirection":
            if value.upper() not in ("ASC", "DESC"):
                raise invalid_parameter(
                    f"Invalid value for sortdirection parameter (value: {value.upper()}),"
                    "allowed values are: ASC,DESC"
                )
            descending = value.upper() == "DESC"
    course_id = params["courseid"]
    if course_id not in site.courses:
        raise missing_record("course")
    enrolled = site.enrolments.get(course_id, {})
    users = sorted(
        (site.users[user_id] for user_id in enrolled),
        key=lambda u: (getattr(u, sortby), u.id),
        reverse=descending,
    )
    window = users[limitfrom : limitfrom + limitnumber] if limitnumber else users[limitfrom:]
    rows = []
    for user in window:
        details = user_details(site, user)
        details["roles"] = [_role(enrolled[user.id])]
        details["enrolledcourses"] = [
            {
                "id": course_id,
                "fullname": site.courses[course_id].fullname,
                "shortname": site.courses[course_id].shortname,
            }
        ]
        if userfields:
            details = {k: v for k, v in details.items() if k == "id" or k in userfields}
        rows.append(details)
    return rows


def user_details(site: MoodleSite, user: SimUser) -> dict[str, Any]:
    """``user_get_user_details`` as an administrator-like service account sees it."""
    details: dict[str, Any] = {
        "id": user.id,
        "username": user.username,
        "firstname": user.firstname,
        "lastname": user.lastname,
        "fullname": user.fullname,
        "email": user.email,
        "department": "",
        "firstaccess": 0,
        "lastaccess": 0,
        "auth": "manual",
        "suspended": user.suspended,
        "confirmed": True,
        "lang": "da",
        "theme": "",
        "timezone": "99",
        "mailformat": 1,
        "description": "",
        "descriptionformat": 1,
        "profileimageurlsmall": _PICTURE + "f2",
        "profileimageurl": _PICTURE + "f1",
    }
    if user.idnumber:
        details["idnumber"] = user.idnumber
    return details


def _role(role_id: int) -> dict[str, Any]:
    role = ROLES.get(role_id)
    if role is None:
        return {"roleid": role_id, "name": "", "shortname": f"role{role_id}", "sortorder": 0}
    return {
        "roleid": role.id,
        "name": role.name,
        "shortname": role.shortname,
        "sortorder": role.sortorder,
    }


def _clean(field: str, value: str) -> str:
    """``clean_param`` with ``core_user::get_property_type(field)``; a change is refused.

    A real Moodle 4.5 (as 4.4) types ``email`` PARAM_RAW_TRIMMED, not PARAM_EMAIL: a value
    that is no address finds nobody, only surrounding spaces are refused.
    """
    if field == "id":
        return value if re.fullmatch(r"\d+", value) else "0"
    if field == "email":
        return value.strip()
    if field == "username":
        return re.sub(r"[^-.@_a-z0-9]", "", value.strip().lower())
    return value


def _int_or_zero(value: str) -> int:
    return int(value) if re.fullmatch(r"-?\d+", value.strip()) else 0
