"""core_completion_get_course_completion_status and ..._get_activities_completion_status."""

from __future__ import annotations

from typing import Any

from tests.fakes.moodle.schema import Single, Value, WsError, missing_record
from tests.fakes.moodle.service import ServiceConfig
from tests.fakes.moodle.site import COMPLETION_TRACKING_AUTOMATIC, MoodleSite, SimCourse

COURSE_AND_USER = Single({"courseid": Value("int"), "userid": Value("int")})
COMPLETION_CRITERIA_TYPE_ACTIVITY = 4


def course_status(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    course, user_id = _course_and_user(site, params)
    if not course.completion_enabled:
        raise WsError("cannotviewreport", "You cannot view this report")
    if user_id not in site.enrolments.get(course.id, {}):
        raise WsError("usernotenroled", "User is not enrolled in this course")
    # Criteria are listed whatever the service user may see of their modules.
    criteria = site.criteria(course.id)
    if not criteria:
        raise WsError("nocriteriaset", "No completion criteria set for this course")
    rows = []
    for module in criteria:
        state, when = site.activity_states.get((user_id, module.cmid), (0, 0))
        complete = state in (1, 2)
        rows.append(
            {
                "type": COMPLETION_CRITERIA_TYPE_ACTIVITY,
                "title": "Activity completion",
                "status": "Yes" if complete else "No",
                "complete": complete,
                "timecompleted": when if complete else None,
                "details": {
                    "type": "Activity completion",
                    "criteria": f'<a href="{service.site_url}/mod/{module.modname}/view.php'
                    f'?id={module.cmid}">{module.name}</a>',
                    "requirement": "Marking yourself complete",
                    "status": "",
                },
            }
        )
    return {
        "completionstatus": {
            "completed": (user_id, course.id) in site.course_completions,
            "aggregation": 1,
            "completions": rows,
        },
        "warnings": [],
    }


def activities_status(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    course, user_id = _course_and_user(site, params)
    tracked = user_id in site.enrolments.get(course.id, {})
    statuses = []
    for module in site.course_module_list(course.id):
        if not module.completion:
            continue  # completion_info::get_activities() lists tracked activities only
        if not service.can_see_module(module.modname):
            continue  # "Check if current user has visibility on this activity"
        state, when = site.activity_states.get((user_id, module.cmid), (0, 0))
        statuses.append(
            {
                "cmid": module.cmid,
                "modname": module.modname,
                "instance": module.instance,
                "state": state,
                "timecompleted": when,
                "tracking": module.completion,
                "overrideby": None,
                "valueused": False,
                "hascompletion": True,
                "isautomatic": module.completion == COMPLETION_TRACKING_AUTOMATIC,
                "istrackeduser": tracked,
                "uservisible": True,
                "details": [],
            }
        )
    return {"statuses": statuses, "warnings": []}


def _course_and_user(site: MoodleSite, params: dict[str, Any]) -> tuple[SimCourse, int]:
    course = site.courses.get(params["courseid"])
    if course is None:
        raise missing_record("course")
    if params["userid"] not in site.users:
        raise missing_record("user")
    return course, params["userid"]
