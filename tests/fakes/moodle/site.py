"""The in-memory Moodle site: courses, modules, users, enrolments, completion, competencies.

Completion follows Moodle 4.x's timing: a state set with
``set_activity_completion`` is stored at once (``completion_info::update_state``)
and the user's course completion is aggregated at once too
(``aggregate_completions`` for that user, since Moodle 4.0); ``run_cron()``
aggregates everyone, as ``\\core\\task\\completion_regular_task`` does.

A manual enrolment sends the course welcome message when the course's manual
enrolment instance says so (Moodle 4.4's default: from the course contact, the
first teacher) and a contact exists; ``mail_works = False`` makes that message
fail as it does on a site that cannot send mail.

Competencies follow ``core_competency``: frameworks (idnumber unique on the
site) hold a tree of competencies (idnumber unique in the framework, ``path``
and ``sortorder`` kept like ``competency::before_validate``), and courses link
to competencies (``competency_coursecomp``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

SITE_COURSE_ID = 1
COMPLETION_TRACKING_NONE = 0
COMPLETION_TRACKING_MANUAL = 1
COMPLETION_TRACKING_AUTOMATIC = 2
SYSTEM_CONTEXT_ID = 1
#: The two scales a fresh Moodle installs: "Separate and Connected ways of knowing" and the
#: "Default competence scale" (``make_competence_scale`` in lib/upgradelib.php).
DEFAULT_SCALES = {
    1: ["Mostly separate knowing", "Separate and connected", "Mostly connected knowing"],
    2: ["Not yet competent", "Competent"],
}
DEFAULT_COMPETENCE_SCALE_ID = 2


@dataclass(frozen=True)
class Role:
    id: int
    shortname: str
    name: str
    sortorder: int


ROLES = {
    1: Role(1, "manager", "Manager", 1),
    3: Role(3, "editingteacher", "Teacher", 3),
    4: Role(4, "teacher", "Non-editing teacher", 4),
    5: Role(5, "student", "Student", 5),
}


@dataclass
class SimCourse:
    id: int
    shortname: str
    fullname: str
    idnumber: str
    summary: str
    category_id: int
    visible: bool
    time_created: int
    time_modified: int
    completion_enabled: bool = True
    format: str = "topics"
    #: The manual enrolment instance's "Send course welcome message" (``customint1``):
    #: 0 no, 1 from the course contact (Moodle 4.4's default), 3 from the no-reply address.
    welcome_message: int = 1


@dataclass
class SimModule:
    cmid: int
    course_id: int
    instance: int
    name: str
    modname: str
    section: int
    completion: int
    visible: bool
    required_for_course: bool


@dataclass
class SimUser:
    id: int
    username: str
    firstname: str
    lastname: str
    email: str
    idnumber: str
    suspended: bool = False

    @property
    def fullname(self) -> str:
        return f"{self.firstname} {self.lastname}"


@dataclass
class SimFramework:
    """A row of ``competency_framework``."""

    id: int
    shortname: str
    idnumber: str
    description: str
    descriptionformat: int
    visible: bool
    scaleid: int
    scaleconfiguration: str
    contextid: int
    taxonomies: str
    time_created: int
    time_modified: int


@dataclass
class SimCompetency:
    """A row of ``competency``; ``parentid`` 0 at the top of the framework."""

    id: int
    competencyframeworkid: int
    shortname: str
    idnumber: str
    description: str
    descriptionformat: int
    parentid: int
    path: str
    sortorder: int
    time_created: int
    time_modified: int
    ruleoutcome: int = 0
    ruletype: str | None = None
    ruleconfig: str | None = None
    scaleid: int | None = None
    scaleconfiguration: str | None = None


@dataclass
class SimCourseCompetency:
    """A row of ``competency_coursecomp``: a competency linked to a course."""

    id: int
    courseid: int
    competencyid: int
    sortorder: int
    time_created: int
    time_modified: int
    #: ``course_competency::OUTCOME_EVIDENCE``, the default.
    ruleoutcome: int = 1


@dataclass(frozen=True)
class LargeSite:
    """Ids created by ``MoodleSite.large_site``."""

    course_ids: range
    user_ids: range
    category_ids: range


@dataclass
class MoodleSite:
    """Site data plus the test-facing API to build and change it."""

    site_name: str = "Lyngby-Taarbæk Kommune Læring"
    clock: Callable[[], float] = time.time
    categories: dict[int, str] = field(default_factory=lambda: {1: "Ledelse"})
    courses: dict[int, SimCourse] = field(default_factory=dict)
    modules: dict[int, SimModule] = field(default_factory=dict)
    course_modules: dict[int, list[int]] = field(default_factory=dict)
    users: dict[int, SimUser] = field(default_factory=dict)
    user_index: dict[str, dict[str, int]] = field(default_factory=dict)
    #: course id -> {user id: role id}
    enrolments: dict[int, dict[int, int]] = field(default_factory=dict)
    #: (user id, cmid) -> (state, timecompleted), as the web services see it
    activity_states: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    #: (user id, course id) -> timecompleted
    course_completions: dict[tuple[int, int], int] = field(default_factory=dict)
    #: ``get_config('core_competency', 'enabled')``
    competencies_enabled: bool = True
    #: Whether the site can send mail; if not, every message a processor handles fails.
    mail_works: bool = True
    scales: dict[int, list[str]] = field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_SCALES.items()}
    )
    competency_frameworks: dict[int, SimFramework] = field(default_factory=dict)
    competencies: dict[int, SimCompetency] = field(default_factory=dict)
    course_competencies: dict[int, SimCourseCompetency] = field(default_factory=dict)
    _next_id: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("username", "email", "idnumber"):
            self.user_index.setdefault(name, {})
        now = self.now()
        self.courses[SITE_COURSE_ID] = SimCourse(
            SITE_COURSE_ID, "ltk", self.site_name, "", "", 0, True, now, now, False, "site"
        )
        self._next_id.update(
            course=2,
            cmid=100,
            instance=1,
            user=3,
            category=2,
            framework=1,
            competency=1,
            coursecomp=1,
        )

    def now(self) -> int:
        return int(self.clock())

    def _new_id(self, kind: str) -> int:
        value = self._next_id[kind]
        self._next_id[kind] = value + 1
        return value

    def add_category(self, name: str) -> int:
        category_id = self._new_id("category")
        self.categories[category_id] = name
        return category_id

    def add_course(
        self,
        fullname: str,
        *,
        shortname: str | None = None,
        idnumber: str = "",
        summary: str = "",
        category_id: int = 1,
        visible: bool = True,
        completion_enabled: bool = True,
    ) -> int:
        course_id = self._new_id("course")
        now = self.now()
        self.courses[course_id] = SimCourse(
            course_id,
            shortname or f"kursus-{course_id}",
            fullname,
            idnumber,
            summary,
            category_id,
            visible,
            now,
            now,
            completion_enabled,
        )
        return course_id

    def add_module(
        self,
        course_id: int,
        name: str,
        *,
        modname: str = "page",
        section: int = 1,
        completion: int = COMPLETION_TRACKING_AUTOMATIC,
        required_for_course: bool = False,
        visible: bool = True,
    ) -> int:
        """Add an activity; ``required_for_course`` makes it a course completion criterion."""
        if course_id not in self.courses:
            raise KeyError(f"no course {course_id}")
        cmid = self._new_id("cmid")
        self.modules[cmid] = SimModule(
            cmid,
            course_id,
            self._new_id("instance"),
            name,
            modname,
            section,
            completion,
            visible,
            required_for_course,
        )
        self.course_modules.setdefault(course_id, []).append(cmid)
        return cmid

    def add_user(
        self,
        email: str,
        *,
        firstname: str = "Lea",
        lastname: str = "Leder",
        username: str | None = None,
        idnumber: str = "",
        suspended: bool = False,
    ) -> int:
        user_id = self._new_id("user")
        user = SimUser(
            user_id, username or email.lower(), firstname, lastname, email, idnumber, suspended
        )
        self._store_user(user)
        return user_id

    def _store_user(self, user: SimUser) -> None:
        self.users[user.id] = user
        for name in ("username", "email", "idnumber"):
            value = getattr(user, name)
            if value:
                self.user_index[name].setdefault(value, user.id)

    def enrol_user(self, course_id: int, user_id: int, role_id: int = 5) -> None:
        """Enrol directly, as an admin would in the UI (no web service involved)."""
        self.enrolments.setdefault(course_id, {})[user_id] = role_id

    def enrolled_user_ids(self, course_id: int) -> list[int]:
        return sorted(self.enrolments.get(course_id, {}))

    def set_activity_completion(
        self, user_id: int, cmid: int, state: int, *, time_completed: int | None = None
    ) -> None:
        """Record a completion state and aggregate the user's course completion, at once."""
        if cmid not in self.modules or user_id not in self.users:
            raise KeyError(f"unknown user {user_id} or module {cmid}")
        when = time_completed if time_completed is not None else self.now()
        self.activity_states[(user_id, cmid)] = (state, when if state else 0)
        self._aggregate(user_id, self.modules[cmid].course_id)

    def run_cron(self) -> None:
        """Aggregate course completion for everyone (activity criteria are already done)."""
        for user_id, cmid in list(self.activity_states):
            self._aggregate(user_id, self.modules[cmid].course_id)

    def welcome_contact(self, course_id: int) -> int | None:
        """Whom the welcome message comes from (``get_welcome_message_contact``), or None.

        From the course contact: the first user with the course contact role
        (``$CFG->coursecontact``, editingteacher by default); None sends nothing.
        """
        option = self.courses[course_id].welcome_message
        if option == 3:
            return 0  # the no-reply user
        if option == 1:
            teachers = [u for u, role in self.enrolments.get(course_id, {}).items() if role == 3]
            return min(teachers) if teachers else None
        return None

    def _aggregate(self, user_id: int, course_id: int) -> None:
        criteria = self.criteria(course_id)
        if not criteria or (user_id, course_id) in self.course_completions:
            return  # Moodle never un-completes a course on aggregation
        times = []
        for module in criteria:
            state, when = self.activity_states.get((user_id, module.cmid), (0, 0))
            if state not in (1, 2):
                return
            times.append(when)
        self.course_completions[(user_id, course_id)] = max(times)

    def criteria(self, course_id: int) -> list[SimModule]:
        return [m for m in self.course_module_list(course_id) if m.required_for_course]

    def course_module_list(self, course_id: int) -> list[SimModule]:
        return [self.modules[cmid] for cmid in self.course_modules.get(course_id, [])]

    # -- competencies, as an admin would set them up in the UI --------------------------

    def add_competency_framework(
        self,
        shortname: str,
        idnumber: str,
        *,
        description: str = "",
        visible: bool = True,
        scale_id: int = DEFAULT_COMPETENCE_SCALE_ID,
        context_id: int = SYSTEM_CONTEXT_ID,
    ) -> int:
        framework_id = self._new_id("framework")
        now = self.now()
        self.competency_frameworks[framework_id] = SimFramework(
            framework_id,
            shortname,
            idnumber,
            description,
            1,
            visible,
            scale_id,
            default_scale_configuration(scale_id),
            context_id,
            "",
            now,
            now,
        )
        return framework_id

    def add_competency(
        self,
        framework_id: int,
        shortname: str,
        idnumber: str,
        *,
        parent_id: int = 0,
        description: str = "",
    ) -> int:
        """A competency at the end of its parent's children (``set_new_sortorder``)."""
        if framework_id not in self.competency_frameworks:
            raise KeyError(f"no framework {framework_id}")
        path = "/0/"
        if parent_id:
            parent = self.competencies[parent_id]
            path = f"{parent.path}{parent.id}/"
        competency_id = self._new_id("competency")
        now = self.now()
        self.competencies[competency_id] = SimCompetency(
            competency_id,
            framework_id,
            shortname,
            idnumber,
            description,
            1,
            parent_id,
            path,
            len(self.children(framework_id, parent_id)),
            now,
            now,
        )
        return competency_id

    def children(self, framework_id: int, parent_id: int) -> list[SimCompetency]:
        return [
            c
            for c in self.competencies.values()
            if c.competencyframeworkid == framework_id and c.parentid == parent_id
        ]

    def link_course_competency(self, course_id: int, competency_id: int) -> int:
        """Link as a teacher would on the course's Competencies page."""
        link_id = self._new_id("coursecomp")
        now = self.now()
        self.course_competencies[link_id] = SimCourseCompetency(
            link_id,
            course_id,
            competency_id,
            len(self.course_competency_links(course_id)),
            now,
            now,
        )
        return link_id

    def course_competency_links(self, course_id: int) -> list[SimCourseCompetency]:
        links = [link for link in self.course_competencies.values() if link.courseid == course_id]
        return sorted(links, key=lambda link: (link.sortorder, link.id))

    def course_competency_idnumbers(self, course_id: int) -> list[str]:
        """The idnumbers of the course's competencies, in the course's order."""
        return [
            self.competencies[link.competencyid].idnumber
            for link in self.course_competency_links(course_id)
        ]

    def framework_by_idnumber(self, idnumber: str) -> SimFramework | None:
        return next(
            (f for f in self.competency_frameworks.values() if f.idnumber == idnumber), None
        )

    def competency_by_idnumber(self, framework_id: int, idnumber: str) -> SimCompetency | None:
        return next(
            (
                c
                for c in self.competencies.values()
                if c.competencyframeworkid == framework_id and c.idnumber == idnumber
            ),
            None,
        )

    def new_id(self, kind: str) -> int:
        """The next id of a table (``framework``, ``competency``, ``coursecomp``...)."""
        return self._new_id(kind)

    def large_site(
        self, courses: int = 5000, users: int = 20000, *, categories: int = 20
    ) -> LargeSite:
        """Bulk-create a site of realistic size fast: plain loops, no per-item lookups."""
        first_category = self._next_id["category"]
        for n in range(categories):
            self.categories[first_category + n] = f"Område {n + 1}"
        self._next_id["category"] = first_category + categories
        now = self.now()
        first_course = self._next_id["course"]
        for n in range(courses):
            course_id = first_course + n
            self.courses[course_id] = SimCourse(
                course_id,
                f"LTK-{course_id}",
                f"Kursus {course_id}: Ledelse i praksis",
                f"ltk-{course_id}",
                "<p>Kursus for ledere i Lyngby-Taarbæk Kommune.</p>",
                first_category + n % max(categories, 1),
                True,
                now,
                now,
            )
        self._next_id["course"] = first_course + courses
        first_user = self._next_id["user"]
        for n in range(users):
            user_id = first_user + n
            self._store_user(
                SimUser(
                    user_id,
                    f"leder{user_id}",
                    "Leder",
                    f"Nummer {user_id}",
                    f"leder{user_id}@ltk.example.dk",
                    f"MA{user_id:06d}",
                )
            )
        self._next_id["user"] = first_user + users
        return LargeSite(
            range(first_course, first_course + courses),
            range(first_user, first_user + users),
            range(first_category, first_category + categories),
        )

    def enrol_many(self, course_id: int, user_ids: Iterable[int], role_id: int = 5) -> None:
        enrolled = self.enrolments.setdefault(course_id, {})
        for user_id in user_ids:
            enrolled[user_id] = role_id


def default_scale_configuration(scale_id: int) -> str:
    """What tool_lp's scale dialog stores: item 1 the default, item 2 proficient."""
    return (
        f'[{{"scaleid":"{scale_id}"}},{{"id":1,"scaledefault":1,"proficient":0}},'
        '{"id":2,"scaledefault":0,"proficient":1}]'
    )
