"""enrol_manual_enrol_users and enrol_manual_unenrol_users.

Both run in one delegated transaction in Moodle: the first error rolls back
every enrolment of the call, and success answers ``null``.

Enrolling dispatches ``after_user_enrolled`` for every enrolment, also of a user
already enrolled, and enrol_manual's callback sends the course welcome message
(``send_course_welcome_message_to_user`` -> ``message_send``). Inside the
transaction the message is buffered and sent when it commits
(``\\core\\message\\manager::database_transaction_commited``); a processor that
fails then throws ``moodle_exception("Message was not sent.")`` out of
``allow_commit()``: the call answers that error although the enrolments are saved.
"""

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
from tests.fakes.moodle.site import MoodleSite

ENROL = Single(
    {
        "enrolments": Multiple(
            Single(
                {
                    "roleid": Value("int"),
                    "userid": Value("int"),
                    "courseid": Value("int"),
                    "timestart": Value("int", "optional"),
                    "timeend": Value("int", "optional"),
                    "suspend": Value("int", "optional"),
                }
            )
        )
    }
)
UNENROL = Single(
    {
        "enrolments": Multiple(
            Single(
                {
                    "userid": Value("int"),
                    "courseid": Value("int"),
                    "roleid": Value("int", "optional"),
                }
            )
        )
    }
)


def enrol_users(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    staged = {course: dict(users) for course, users in site.enrolments.items()}
    for enrolment in params["enrolments"]:
        course_id, user_id, role_id = (
            enrolment["courseid"],
            enrolment["userid"],
            enrolment["roleid"],
        )
        if course_id not in site.courses:
            raise invalid_parameter("Context does not exist")
        if role_id not in service.assignable_role_ids:
            raise WsError(
                "wsusercannotassign",
                f"You don't have the permission to assign this role ({role_id}) to this user "
                f"({user_id}) in this course({course_id}).",
            )
        if user_id not in site.users:
            raise WsError(
                "codingerror",
                "Coding error detected, it must be fixed by a programmer: "
                "User ID does not exist or is deleted!",
                exception="coding_exception",
                debuginfo=f"userid:{user_id}",
            )
        staged.setdefault(course_id, {})[user_id] = role_id
    site.enrolments = staged  # commit
    welcomed = [
        e["courseid"]
        for e in params["enrolments"]
        if site.welcome_contact(e["courseid"]) is not None
    ]
    if welcomed and not site.mail_works:
        # moodle_exception's message for an errorcode without a string: "error/<errorcode>".
        raise WsError("Message was not sent.", "error/Message was not sent.")
    return None


def unenrol_users(site: MoodleSite, service: ServiceConfig, params: dict[str, Any]) -> Any:
    staged = {course: dict(users) for course, users in site.enrolments.items()}
    for enrolment in params["enrolments"]:
        course_id, user_id = enrolment["courseid"], enrolment["userid"]
        if course_id not in site.courses:
            raise missing_record("course")
        if user_id not in site.users:
            raise invalid_parameter(f"User id not exist: {user_id}")
        staged.get(course_id, {}).pop(user_id, None)
    site.enrolments = staged  # commit
    return None
