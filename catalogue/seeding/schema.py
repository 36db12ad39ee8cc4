"""The shape of the seed files, validated strictly: unknown fields are errors."""

from __future__ import annotations

import re
from collections import Counter
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from catalogue.models import (
    ActionKind,
    ActivityKind,
    CommitteeRole,
    CourseKind,
    CourseStatus,
    LinkStrength,
    Priority,
    Recommendation,
    RespondentGroup,
    Role,
)

Text = Annotated[str, StringConstraints(min_length=1)]
Key = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Z0-9][A-Z0-9.\-]*$")
]


def _duplicates(values: list[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ThemeSeed(_Strict):
    key: Key
    name: Text


class StatementSeed(_Strict):
    key: Key
    text: Text

    @model_validator(mode="after")
    def _clean_text(self) -> StatementSeed:
        if self.text != self.text.strip() or "  " in self.text or "\n" in self.text:
            raise ValueError("teksten har overskydende mellemrum eller linjeskift")
        return self


class FieldSeed(_Strict):
    key: Key
    name: Text
    description: Text
    themes: list[Key] = Field(min_length=1)
    statements: list[StatementSeed] = Field(min_length=1)

    @model_validator(mode="after")
    def _statement_keys_follow_field(self) -> FieldSeed:
        for statement in self.statements:
            if not statement.key.startswith(f"{self.key}."):
                raise ValueError(
                    f"udsagnet {statement.key} hører ikke til feltet {self.key} "
                    f"(nøglen skal begynde med '{self.key}.')"
                )
        return self


class ProfileSeed(_Strict):
    """``seed/profile.yaml``: the competence profile, word for word."""

    title: Text
    intro: Text
    themes: list[ThemeSeed] = Field(min_length=1)
    fields: list[FieldSeed] = Field(min_length=1)
    work_environment_note: Text
    dialogue_note: Text

    @model_validator(mode="after")
    def _keys_unique_and_known(self) -> ProfileSeed:
        theme_keys = [t.key for t in self.themes]
        if dup := _duplicates(theme_keys):
            raise ValueError(f"temanøglen {dup[0]} findes flere gange")
        if dup := _duplicates([f.key for f in self.fields]):
            raise ValueError(f"feltnøglen {dup[0]} findes flere gange")
        if dup := _duplicates([s.key for f in self.fields for s in f.statements]):
            raise ValueError(f"udsagnsnøglen {dup[0]} findes flere gange")
        for field in self.fields:
            for theme in field.themes:
                if theme not in theme_keys:
                    raise ValueError(f"feltet {field.key} nævner et ukendt tema: {theme}")
        return self


class OrgUnitSeed(_Strict):
    key: Key
    name: Text
    parent: Key | None


class PersonSeed(_Strict):
    email: Annotated[str, StringConstraints(pattern=r"^[a-z0-9._\-]+@[a-z0-9.\-]+$")]
    name: Text
    title: Text
    org_unit: Key
    manager: str | None
    roles: list[Role] = Field(min_length=1)


class ActivitySeed(_Strict):
    code: Key
    title: Text
    kind: ActivityKind
    required: bool
    duration_hours: float | None = Field(gt=0)


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class SessionSeed(_Strict):
    """A teaching day of a demo run: its day in the run (1 is the first) and its hours."""

    day: int = Field(ge=1)
    start_time: str
    end_time: str
    title: Text | None = None
    location: Text | None = None


class RunSeed(_Strict):
    code: Key
    starts_in_days: int
    days: int = Field(ge=1)
    start_time: str
    end_time: str
    location: str | None
    online: bool
    capacity: int | None = Field(ge=1)
    deadline_days_before_start: int = Field(ge=0)
    approval_required: bool
    enrolled: list[str]
    sessions: list[SessionSeed] = []

    @model_validator(mode="after")
    def _times_and_seats(self) -> RunSeed:
        times = [self.start_time, self.end_time]
        times += [t for s in self.sessions for t in (s.start_time, s.end_time)]
        for value in times:
            if not _TIME.match(value):
                raise ValueError(f"klokkeslæt {value!r} skal skrives TT:MM")
        self._check_sessions()
        if self.capacity is not None and len(self.enrolled) > self.capacity:
            raise ValueError("flere tilmeldte end pladser")
        if dup := _duplicates(self.enrolled):
            raise ValueError(f"{dup[0]} er tilmeldt flere gange")
        return self

    def _check_sessions(self) -> None:
        """Inside the run's days and hours, and no two on the same day overlapping."""
        previous: SessionSeed | None = None
        for number, item in enumerate(self.sessions, 1):
            where = f"session nr. {number} (dag {item.day})"
            if item.day > self.days:
                raise ValueError(f"{where} ligger efter holdets {self.days} dage")
            if item.end_time <= item.start_time:
                raise ValueError(f"{where} skal slutte efter, at den starter")
            if item.day == 1 and item.start_time < self.start_time:
                raise ValueError(f"{where} starter før holdet ({self.start_time})")
            if item.day == self.days and item.end_time > self.end_time:
                raise ValueError(f"{where} slutter efter holdet ({self.end_time})")
            if previous is not None and (item.day, item.start_time) < (
                previous.day,
                previous.end_time,
            ):
                raise ValueError(f"{where} skal ligge efter den forrige og ikke overlappe den")
            previous = item


class LinkSeed(_Strict):
    statement: Key
    strength: LinkStrength
    rationale: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    activity: Key | None = None


class CourseSeed(_Strict):
    code: Key
    title: Text
    summary: Text
    kind: CourseKind
    status: CourseStatus
    provider: Text
    language: Literal["da", "en"]
    duration_hours: float | None = Field(gt=0)
    ects: float | None = Field(ge=0)
    price_dkk: int | None = Field(ge=0)
    audience: Text
    activities: list[ActivitySeed]
    runs: list[RunSeed]
    links: list[LinkSeed]

    @model_validator(mode="after")
    def _links_point_inside(self) -> CourseSeed:
        codes = {a.code for a in self.activities}
        for link in self.links:
            if link.activity is not None and link.activity not in codes:
                raise ValueError(f"linket til {link.statement} peger på en ukendt aktivitet")
        targets = [f"{link.statement}/{link.activity or ''}" for link in self.links]
        if dup := _duplicates(targets):
            raise ValueError(f"linket {dup[0]} findes flere gange")
        return self


class EvaluationCommentSeed(_Strict):
    field: Key
    group: RespondentGroup
    text: Text


class EvaluateeSeed(_Strict):
    """A leader's answers, one string per respondent: a digit per statement, in the round's
    order, ``?`` for "ved ikke" and ``-`` for "ønsker ikke at svare"."""

    leader: str
    answers: dict[RespondentGroup, list[Annotated[str, StringConstraints(pattern=r"^[0-9?-]+$")]]]
    comments: list[EvaluationCommentSeed] = Field(default_factory=list)


class EvaluationSeed(_Strict):
    """A closed and released demo round, with its answers, so a report can be read at once."""

    name: Text
    statements: list[Key] = Field(min_length=1)
    closed_days_ago: int = Field(ge=1)
    evaluatees: list[EvaluateeSeed] = Field(min_length=1)

    @model_validator(mode="after")
    def _answers_fit(self) -> EvaluationSeed:
        for evaluatee in self.evaluatees:
            for group, answers in evaluatee.answers.items():
                for answer in answers:
                    if len(answer) != len(self.statements):
                        raise ValueError(
                            f"{evaluatee.leader} ({group}): '{answer}' skal have ét tegn pr. "
                            f"udsagn ({len(self.statements)})"
                        )
        return self


class RoleProfileSeed(_Strict):
    key: Annotated[str, StringConstraints(pattern=r"^[a-z0-9\-]{1,64}$")]
    name: Text
    importances: dict[Key, Annotated[int, Field(ge=0, le=3)]]


class DemoActionSeed(_Strict):
    kind: ActionKind
    description: Text
    course_run: Key | None = None
    due_in_days: int | None = None


class DemoFocusSeed(_Strict):
    statement: Key
    goal: Text
    success_criteria: Text
    actions: list[DemoActionSeed] = []


class DemoDialogueSeed(_Strict):
    """One leader's dialogue moved through the real services up to ``status``."""

    leader: str
    status: Literal["PREPARING", "READY", "HELD", "AGREED"]
    leader_scores: dict[Key, int | None] = {}
    chef_scores: dict[Key, int | None] = {}
    agreed_importances: dict[Key, Annotated[int, Field(ge=0, le=3)]] = {}
    focus: list[DemoFocusSeed] = []
    summary: str = ""


class DialogueCycleSeed(_Strict):
    """A cycle of this year, opened on load; dates are days from the seed day."""

    title: Text
    opens_in_days: int
    preparation_due_in_days: int
    meeting_from_in_days: int
    meeting_until_in_days: int
    closes_in_days: int
    dialogues: list[DemoDialogueSeed] = []


class VacancyStatementSeed(_Strict):
    statement: Key
    priority: Priority
    behaviour: str = ""
    rationale: str = ""


class VacancyMemberSeed(_Strict):
    person: str
    role: CommitteeRole


class VacancyCandidateSeed(_Strict):
    name: Text
    email: Text
    reference: Text


class VacancyScorecardSeed(_Strict):
    member: str
    candidate: Text
    scores: dict[Key, Annotated[int, Field(ge=1, le=4)]]
    recommendation: Recommendation
    overall_note: str = ""


class VacancySeed(_Strict):
    """A vacancy moved through the real services: approved, guide locked, partly scored."""

    position_title: Text
    hiring_chef: str
    context: str = ""
    statements: list[VacancyStatementSeed] = Field(min_length=1)
    committee: list[VacancyMemberSeed] = []
    candidates: list[VacancyCandidateSeed] = []
    #: Days from the seed day to the first interviews (negative: held already).
    interviews_in_days: int = -1
    scorecards: list[VacancyScorecardSeed] = []


class DemoSeed(_Strict):
    """``seed/demo.yaml``: a fictional catalogue and organisation, marked as demo data."""

    demo: Literal[True]
    notice: Text
    org_units: list[OrgUnitSeed]
    people: list[PersonSeed]
    courses: list[CourseSeed]
    evaluations: list[EvaluationSeed] = Field(default_factory=list)
    role_profiles: list[RoleProfileSeed] = []
    dialogue_cycle: DialogueCycleSeed | None = None
    vacancy: VacancySeed | None = None

    @model_validator(mode="after")
    def _references_resolve(self) -> DemoSeed:
        units: set[str] = set()
        for unit in self.org_units:
            if unit.key in units:
                raise ValueError(f"organisationsenheden {unit.key} findes flere gange")
            if unit.parent is not None and unit.parent not in units:
                raise ValueError(f"{unit.key}: overordnet enhed {unit.parent} er ukendt")
            units.add(unit.key)
        emails: set[str] = set()
        for person in self.people:
            if person.email in emails:
                raise ValueError(f"personen {person.email} findes flere gange")
            if person.org_unit not in units:
                raise ValueError(f"{person.email}: ukendt organisationsenhed {person.org_unit}")
            if person.manager is not None and person.manager not in emails:
                raise ValueError(f"{person.email}: lederen {person.manager} er ukendt")
            emails.add(person.email)
        codes = [c.code for c in self.courses]
        codes += [a.code for c in self.courses for a in c.activities]
        codes += [r.code for c in self.courses for r in c.runs]
        if dup := _duplicates(codes):
            raise ValueError(f"koden {dup[0]} findes flere gange")
        for course in self.courses:
            for run in course.runs:
                for email in run.enrolled:
                    if email not in emails:
                        raise ValueError(f"{run.code}: ukendt tilmeldt person {email}")
        for evaluation in self.evaluations:
            for evaluatee in evaluation.evaluatees:
                if evaluatee.leader not in emails:
                    raise ValueError(f"{evaluation.name}: ukendt leder {evaluatee.leader}")
        if self.dialogue_cycle is not None:
            for dialogue in self.dialogue_cycle.dialogues:
                if dialogue.leader not in emails:
                    raise ValueError(f"samtalen: ukendt leder {dialogue.leader}")
        if self.vacancy is not None:
            named = [self.vacancy.hiring_chef, *(m.person for m in self.vacancy.committee)]
            for email in named:
                if email not in emails:
                    raise ValueError(f"stillingen: ukendt person {email}")
        return self
