"""A simulated Moodle that mirrors the demo catalogue, for trying ``catalogue sync`` by hand.

Every published e-learning course of ``seed/demo.yaml`` is a Moodle course whose ID
number is the catalogue code (so the course pull links it), with one SCORM module
per activity. Every demo person is a Moodle user with the same e-mail. The leaders
the seed already enrolled on an e-learning run are enrolled in Moodle too and have
finished its first module, so the first completion pull has something to bring back.
"""

from __future__ import annotations

from catalogue.models import CourseKind, CourseStatus
from catalogue.seeding.schema import DemoSeed
from tests.fakes.moodle.simulator import MoodleSimulator
from tests.fakes.moodle.site import COMPLETION_TRACKING_AUTOMATIC

#: A course only Moodle has: the pull brings it in as a DRAFT for HR.
MOODLE_ONLY_COURSE = "Trivsel i teamet (kun i Moodle)"
COMPLETE = 1


def mirror_demo(sim: MoodleSimulator, demo: DemoSeed) -> None:
    users = {}
    for person in demo.people:
        first, _, last = person.name.partition(" ")
        users[person.email] = sim.add_user(person.email, firstname=first, lastname=last or first)
    for course in demo.courses:
        if course.kind != CourseKind.E_LEARNING or course.status != CourseStatus.PUBLISHED:
            continue
        course_id = sim.add_course(
            course.title, idnumber=course.code, summary=f"<p>{course.summary}</p>"
        )
        modules = [
            sim.add_module(
                course_id,
                activity.title,
                modname="scorm",
                completion=COMPLETION_TRACKING_AUTOMATIC,
                required_for_course=activity.required,
            )
            for activity in course.activities
        ]
        for email in sorted({e for run in course.runs for e in run.enrolled}):
            sim.enrol_user(course_id, users[email])
            if modules:
                sim.set_activity_completion(users[email], modules[0], COMPLETE)
    new_course = sim.add_course(MOODLE_ONLY_COURSE, summary="<p>Om trivsel i teamet.</p>")
    sim.add_module(new_course, "Introduktion", modname="page")
    sim.run_cron()
