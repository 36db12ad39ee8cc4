"""A leader's evaluation report, with the thresholds that keep every respondent anonymous.

The rules, each enforced here and nowhere else:

- Results exist only for a CLOSED (or later) round: nothing is computed while answers can
  still come in, so no one can compare a report before and after one more answer.
- Per statement, an anonymous group (EMPLOYEE, SUBORDINATE_LEADER, PEER unless the round
  names peers) counts its scores ("ved ikke" and "ønsker ikke at svare" never count). A
  group with at least its threshold is shown: average, count and distribution. Groups
  under their threshold are merged into "øvrige", shown when the merged count reaches the
  highest threshold among them; otherwise nothing of them is shown and the report says
  so. Only groups under threshold are merged, so no shown number minus another reveals a
  hidden group.
- "Andre" (everyone but the leader) and the gap self − andre are computed from the shown
  cells only, for the same reason.
- Comments of a group are shown only when the group's respondents reach its threshold,
  in a random order (``secrets.SystemRandom``), without a link to any score.
- SELF and CHEF are named by nature (one person each) and shown as they are.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    AnswerChoice,
    CompetenceField,
    CompetenceStatement,
    Evaluatee,
    EvaluationAnswerSet,
    EvaluationComment,
    EvaluationRating,
    EvaluationRound,
    RespondentGroup,
    RoundStatus,
)
from catalogue.models.evaluation import round_statements
from catalogue.services.errors import DomainError, ErrorCode

G = RespondentGroup
RESULT_STATUSES = frozenset({RoundStatus.CLOSED, RoundStatus.RELEASED, RoundStatus.ARCHIVED})


class ReportGroup(StrEnum):
    """A column of the report: a respondent group, or the merged under-threshold groups."""

    SELF = "SELF"
    CHEF = "CHEF"
    PEER = "PEER"
    EMPLOYEE = "EMPLOYEE"
    SUBORDINATE_LEADER = "SUBORDINATE_LEADER"
    OTHERS = "OTHERS"


REPORT_GROUP_LABELS = {
    ReportGroup.SELF: "Selvevaluering",
    ReportGroup.CHEF: "Chef",
    ReportGroup.PEER: "Ledere på samme niveau",
    ReportGroup.EMPLOYEE: "Medarbejdere",
    ReportGroup.SUBORDINATE_LEADER: "Ledere under lederen",
    ReportGroup.OTHERS: "Øvrige",
}


@dataclass(frozen=True)
class GroupResult:
    group: ReportGroup
    average: float
    count: int
    #: How many answered 1, 2, ... scale_max; shown only for cells that met the threshold.
    distribution: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class StatementResult:
    key: str
    text: str
    self_score: int | None
    chef_score: float | None
    groups: list[GroupResult]
    #: Labels of the anonymous groups with answers that are not shown for this statement.
    suppressed: list[str]
    others_average: float | None
    gap: float | None
    previous_others_average: float | None = None

    @property
    def trend(self) -> float | None:
        if self.others_average is None or self.previous_others_average is None:
            return None
        return round(self.others_average - self.previous_others_average, 2)


@dataclass(frozen=True)
class FieldResult:
    key: str
    name: str
    statements: list[StatementResult]
    comments: list[tuple[ReportGroup, str]]
    #: Groups that wrote comments which are not shown (too few respondents in the group).
    comments_withheld: list[str]


@dataclass
class Report:
    evaluatee_id: int
    person_id: int
    person_name: str
    round_id: int
    round_name: str
    scale_max: int
    fields: list[FieldResult]
    #: Respondents per shown group (only groups whose respondents reach the threshold).
    respondents: dict[ReportGroup, int]
    notes: list[str] = field(default_factory=list)


def group_thresholds(round_: EvaluationRound) -> dict[RespondentGroup, int]:
    """The anonymous groups of a round and their thresholds."""
    thresholds = {
        G.EMPLOYEE: round_.employee_threshold,
        G.SUBORDINATE_LEADER: round_.subordinate_leader_threshold,
    }
    if not round_.peers_named:
        thresholds[G.PEER] = round_.peer_threshold
    return thresholds


def _cell(group: ReportGroup, scores: list[int], scale_max: int) -> GroupResult:
    distribution = tuple(scores.count(value) for value in range(1, scale_max + 1))
    return GroupResult(
        group=group,
        average=round(sum(scores) / len(scores), 2),
        count=len(scores),
        distribution=distribution,
        total=sum(scores),
    )


def statement_cells(
    scores: dict[RespondentGroup, list[int]], thresholds: dict[RespondentGroup, int], scale_max: int
) -> tuple[list[GroupResult], list[str]]:
    """The anonymous cells of one statement that may be shown, and the groups left out."""
    shown: list[GroupResult] = []
    under: list[RespondentGroup] = []
    for group in (G.PEER, G.EMPLOYEE, G.SUBORDINATE_LEADER):
        values = scores.get(group, [])
        if group not in thresholds:
            if values:  # named peers: shown as a group like the chef, no threshold
                shown.append(_cell(ReportGroup(group.value), values, scale_max))
            continue
        if len(values) >= thresholds[group]:
            shown.append(_cell(ReportGroup(group.value), values, scale_max))
        elif values:
            under.append(group)
    suppressed: list[str] = []
    if under:
        merged = [value for group in under for value in scores[group]]
        if len(merged) >= max(thresholds[group] for group in under):
            shown.append(_cell(ReportGroup.OTHERS, merged, scale_max))
        else:
            suppressed = [REPORT_GROUP_LABELS[ReportGroup(group.value)] for group in under]
    return shown, suppressed


def _round_for_results(session: Session, evaluatee: Evaluatee) -> EvaluationRound:
    round_ = evaluatee.round
    if round_.status not in RESULT_STATUSES:
        raise DomainError(
            ErrorCode.NOT_RELEASED,
            "Resultaterne findes først, når runden er lukket; der beregnes intet, mens den er "
            "åben.",
        )
    return round_


def _scores(session: Session, evaluatee_id: int) -> dict[int, dict[RespondentGroup, list[int]]]:
    """Scores per statement and group; "ved ikke" and "ønsker ikke at svare" left out."""
    rows = session.execute(
        select(EvaluationRating.statement_id, EvaluationAnswerSet.group, EvaluationRating.score)
        .join(EvaluationAnswerSet, EvaluationAnswerSet.id == EvaluationRating.answer_set_id)
        .where(
            EvaluationAnswerSet.evaluatee_id == evaluatee_id,
            EvaluationRating.choice == AnswerChoice.SCORE,
        )
    ).all()
    found: dict[int, dict[RespondentGroup, list[int]]] = defaultdict(lambda: defaultdict(list))
    for statement_id, group, score in rows:
        assert score is not None, "the query keeps scores only"
        found[statement_id][group].append(score)
    return found


def _respondents(session: Session, evaluatee_id: int) -> dict[RespondentGroup, int]:
    groups = session.scalars(
        select(EvaluationAnswerSet.group).where(EvaluationAnswerSet.evaluatee_id == evaluatee_id)
    ).all()
    counted: dict[RespondentGroup, int] = defaultdict(int)
    for group in groups:
        counted[group] += 1
    return counted


def _previous_evaluatee(session: Session, evaluatee: Evaluatee) -> Evaluatee | None:
    """The same leader in the latest earlier round whose results exist (for the trend)."""
    return session.scalars(
        select(Evaluatee)
        .join(EvaluationRound, EvaluationRound.id == Evaluatee.round_id)
        .where(
            Evaluatee.person_id == evaluatee.person_id,
            Evaluatee.id != evaluatee.id,
            EvaluationRound.status.in_([RoundStatus.RELEASED, RoundStatus.ARCHIVED]),
            EvaluationRound.closes_at < evaluatee.round.closes_at,
        )
        .order_by(EvaluationRound.closes_at.desc())
        .limit(1)
    ).first()


def _asked(
    session: Session, round_id: int
) -> list[tuple[CompetenceField, list[CompetenceStatement]]]:
    rows = session.execute(
        select(CompetenceField, CompetenceStatement)
        .join(CompetenceStatement, CompetenceStatement.field_id == CompetenceField.id)
        .join(round_statements, round_statements.c.statement_id == CompetenceStatement.id)
        .where(round_statements.c.round_id == round_id)
        .order_by(CompetenceField.position, CompetenceStatement.position)
    ).all()
    grouped: dict[int, tuple[CompetenceField, list[CompetenceStatement]]] = {}
    for field_, statement in rows:
        grouped.setdefault(field_.id, (field_, []))[1].append(statement)
    return list(grouped.values())


def build_report(session: Session, *, evaluatee_id: int, with_trend: bool = True) -> Report:
    """The report of one leader in a closed round; who may read it is ``evaluation_access``."""
    evaluatee = session.get(Evaluatee, evaluatee_id)
    if evaluatee is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Rapporten findes ikke.", field="evaluateeId")
    round_ = _round_for_results(session, evaluatee)
    thresholds = group_thresholds(round_)
    scores = _scores(session, evaluatee.id)
    respondents = _respondents(session, evaluatee.id)
    previous: dict[str, float | None] = {}
    if with_trend and (earlier := _previous_evaluatee(session, evaluatee)) is not None:
        old = build_report(session, evaluatee_id=earlier.id, with_trend=False)
        previous = {s.key: s.others_average for f in old.fields for s in f.statements}
    comments = _comments(session, evaluatee.id)
    fields: list[FieldResult] = []
    notes: set[str] = set()
    for field_, statements in _asked(session, round_.id):
        results = []
        for statement in statements:
            by_group = scores.get(statement.id, {})
            shown, suppressed = statement_cells(by_group, thresholds, round_.scale_max)
            self_scores = by_group.get(G.SELF, [])
            chef_scores = by_group.get(G.CHEF, [])
            self_score = self_scores[0] if self_scores else None
            chef_score = round(sum(chef_scores) / len(chef_scores), 2) if chef_scores else None
            total = sum(cell.total for cell in shown) + sum(chef_scores)
            count = sum(cell.count for cell in shown) + len(chef_scores)
            others = round(total / count, 2) if count else None
            gap = (
                round(self_score - others, 2)
                if self_score is not None and others is not None
                else None
            )
            if suppressed:
                notes.add(
                    "For nogle udsagn er der for få svar fra "
                    + " og ".join(sorted(set(suppressed))).lower()
                    + " til at vise dem, heller ikke samlet som øvrige."
                )
            results.append(
                StatementResult(
                    key=statement.key,
                    text=statement.text,
                    self_score=self_score,
                    chef_score=chef_score,
                    groups=shown,
                    suppressed=suppressed,
                    others_average=others,
                    gap=gap,
                    previous_others_average=previous.get(statement.key),
                )
            )
        shown_comments, withheld = _field_comments(
            comments.get(field_.id, {}), respondents, thresholds
        )
        fields.append(
            FieldResult(
                key=field_.key,
                name=field_.name,
                statements=results,
                comments=shown_comments,
                comments_withheld=withheld,
            )
        )
    if any(f.comments_withheld for f in fields):
        notes.add("Kommentarer fra grupper med for få svarpersoner vises ikke.")
    shown_respondents = {
        ReportGroup(group.value): count
        for group, count in respondents.items()
        if group not in thresholds or count >= thresholds[group]
    }
    return Report(
        evaluatee_id=evaluatee.id,
        person_id=evaluatee.person_id,
        person_name=evaluatee.person.name,
        round_id=round_.id,
        round_name=round_.name,
        scale_max=round_.scale_max,
        fields=fields,
        respondents=shown_respondents,
        notes=sorted(notes),
    )


def _comments(session: Session, evaluatee_id: int) -> dict[int, dict[RespondentGroup, list[str]]]:
    found: dict[int, dict[RespondentGroup, list[str]]] = defaultdict(lambda: defaultdict(list))
    for comment in session.scalars(
        select(EvaluationComment).where(EvaluationComment.evaluatee_id == evaluatee_id)
    ):
        found[comment.field_id][comment.group].append(comment.text)
    return found


def _field_comments(
    by_group: dict[RespondentGroup, list[str]],
    respondents: dict[RespondentGroup, int],
    thresholds: dict[RespondentGroup, int],
) -> tuple[list[tuple[ReportGroup, str]], list[str]]:
    shown: list[tuple[ReportGroup, str]] = []
    withheld: list[str] = []
    for group, texts in by_group.items():
        if group in thresholds and respondents.get(group, 0) < thresholds[group]:
            withheld.append(REPORT_GROUP_LABELS[ReportGroup(group.value)])
            continue
        shown.extend((ReportGroup(group.value), text) for text in texts)
    secrets.SystemRandom().shuffle(shown)
    return shown, sorted(withheld)


def dialogue_averages(session: Session, *, evaluatee_id: int) -> dict[str, dict[str, float]]:
    """Per statement key, the shown averages by column (``SELF``, ``CHEF``, groups, ``OTHERS``).

    For the dialogue's side-by-side view (issue 16): only a RELEASED or ARCHIVED report,
    and only what the report itself shows.
    """
    evaluatee = session.get(Evaluatee, evaluatee_id)
    if evaluatee is None or evaluatee.round.status not in (
        RoundStatus.RELEASED,
        RoundStatus.ARCHIVED,
    ):
        raise DomainError(ErrorCode.NOT_RELEASED, "Rapporten er ikke frigivet.")
    report = build_report(session, evaluatee_id=evaluatee_id, with_trend=False)
    averages: dict[str, dict[str, float]] = {}
    for field_ in report.fields:
        for statement in field_.statements:
            row: dict[str, float] = {cell.group.value: cell.average for cell in statement.groups}
            if statement.self_score is not None:
                row[ReportGroup.SELF.value] = float(statement.self_score)
            if statement.chef_score is not None:
                row[ReportGroup.CHEF.value] = statement.chef_score
            averages[statement.key] = row
    return averages


def shown_cells(report: Report) -> Iterable[tuple[str, GroupResult]]:
    """(field key, cell) for every anonymous cell the report shows."""
    for field_ in report.fields:
        for statement in field_.statements:
            for cell in statement.groups:
                yield field_.key, cell
