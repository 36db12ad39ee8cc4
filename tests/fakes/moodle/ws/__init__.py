"""The web service functions the simulator implements, with their parameter specs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.fakes.moodle.schema import Single
from tests.fakes.moodle.service import ServiceConfig
from tests.fakes.moodle.site import MoodleSite
from tests.fakes.moodle.ws import competency, completion, course, enrol, siteinfo, users

Handler = Callable[[MoodleSite, ServiceConfig, dict[str, Any]], Any]


@dataclass(frozen=True)
class WsFunction:
    parameters: Single
    handler: Handler


FUNCTIONS: dict[str, WsFunction] = {
    "core_webservice_get_site_info": WsFunction(siteinfo.SITE_INFO, siteinfo.site_info),
    "core_course_get_courses_by_field": WsFunction(
        course.COURSES_BY_FIELD, course.courses_by_field
    ),
    "core_course_get_contents": WsFunction(course.CONTENTS, course.contents),
    "core_user_get_users_by_field": WsFunction(users.USERS_BY_FIELD, users.users_by_field),
    "core_enrol_get_enrolled_users": WsFunction(users.ENROLLED_USERS, users.enrolled_users),
    "enrol_manual_enrol_users": WsFunction(enrol.ENROL, enrol.enrol_users),
    "enrol_manual_unenrol_users": WsFunction(enrol.UNENROL, enrol.unenrol_users),
    "core_completion_get_course_completion_status": WsFunction(
        completion.COURSE_AND_USER, completion.course_status
    ),
    "core_completion_get_activities_completion_status": WsFunction(
        completion.COURSE_AND_USER, completion.activities_status
    ),
    "core_competency_list_competency_frameworks": WsFunction(
        competency.LIST_FRAMEWORKS, competency.list_frameworks
    ),
    "core_competency_create_competency_framework": WsFunction(
        competency.CREATE_FRAMEWORK, competency.create_framework
    ),
    "core_competency_update_competency_framework": WsFunction(
        competency.UPDATE_FRAMEWORK, competency.update_framework
    ),
    "core_competency_list_competencies": WsFunction(
        competency.LIST_COMPETENCIES, competency.list_competencies
    ),
    "core_competency_create_competency": WsFunction(
        competency.CREATE_COMPETENCY, competency.create_competency
    ),
    "core_competency_update_competency": WsFunction(
        competency.UPDATE_COMPETENCY, competency.update_competency
    ),
    "core_competency_list_course_competencies": WsFunction(
        competency.COURSE_ID, competency.list_course_competencies
    ),
    "core_competency_add_competency_to_course": WsFunction(
        competency.COURSE_AND_COMPETENCY, competency.add_competency_to_course
    ),
    "core_competency_remove_competency_from_course": WsFunction(
        competency.COURSE_AND_COMPETENCY, competency.remove_competency_from_course
    ),
}
