"""The report's anonymity rules (services/evaluation_report.py), one test per rule.

Each test fails when its rule is removed from the report code (tried by hand, see the
commit that added them).
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from catalogue.models import AnswerChoice, Evaluatee, RespondentGroup, RoundStatus
from catalogue.models.base import utcnow
from catalogue.services import evaluation_rounds as rounds
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.evaluation_answers import CommentInput, submit_answers
from catalogue.services.evaluation_report import (
    Report,
    ReportGroup,
    StatementResult,
    build_report,
)
from tests.evaluation.factories import (
    EvalOrg,
    answer,
    hr_of,
    issue_tokens,
    make_org,
    make_round,
    move,
    tokens_of,
)

G = RespondentGroup
KEYS = ["K1.1", "K1.2"]


def _run(
    session: Session, *, employees: int, peers: int, **settings: object
) -> tuple[EvalOrg, int, Evaluatee, dict[int, str]]:
    """Lea with ``employees`` and ``peers`` asked, the round open, a token for everyone."""
    org = make_org(session, employees=employees, peers=peers)
    round_id, evaluatee = make_round(session, org, statement_keys=KEYS, **settings)
    for person in org.peers:
        rounds.add_respondent(
            session,
            actor=hr_of(org),
            evaluatee_id=evaluatee.id,
            group=G.PEER,
            email=person.email,
            now=utcnow(),
        )
    move(session, org, round_id, RoundStatus.OPEN)
    tokens = issue_tokens(session, evaluatee)
    return org, round_id, evaluatee, tokens


def _statement(report: Report, key: str) -> StatementResult:
    return next(s for f in report.fields for s in f.statements if s.key == key)


def test_no_result_exists_while_the_round_is_open(session: Session) -> None:
    org, round_id, evaluatee, tokens = _run(session, employees=5, peers=0)
    for token in tokens_of(session, evaluatee, tokens, G.EMPLOYEE):
        answer(session, token, {"K1.1": 4})
    with pytest.raises(DomainError) as refused:
        build_report(session, evaluatee_id=evaluatee.id)
    assert refused.value.code is ErrorCode.NOT_RELEASED
    move(session, org, round_id, RoundStatus.CLOSED)
    assert _statement(build_report(session, evaluatee_id=evaluatee.id), "K1.1").groups


def test_five_employees_are_shown_with_count_and_distribution(session: Session) -> None:
    org, round_id, evaluatee, tokens = _run(session, employees=5, peers=0)
    for token, score in zip(
        tokens_of(session, evaluatee, tokens, G.EMPLOYEE), [1, 2, 4, 4, 5], strict=True
    ):
        answer(session, token, {"K1.1": score})
    move(session, org, round_id, RoundStatus.CLOSED)
    (cell,) = _statement(build_report(session, evaluatee_id=evaluatee.id), "K1.1").groups
    assert cell.group is ReportGroup.EMPLOYEE
    assert (cell.count, cell.average, cell.distribution) == (5, 3.2, (1, 1, 0, 2, 1))


def test_four_employees_are_not_shown_not_even_their_count(session: Session) -> None:
    org, round_id, evaluatee, tokens = _run(session, employees=4, peers=0)
    for token in tokens_of(session, evaluatee, tokens, G.EMPLOYEE):
        answer(session, token, {"K1.1": 2})
    move(session, org, round_id, RoundStatus.CLOSED)
    report = build_report(session, evaluatee_id=evaluatee.id)
    statement = _statement(report, "K1.1")
    assert statement.groups == []
    assert statement.others_average is None
    assert statement.suppressed == ["Medarbejdere"]
    assert ReportGroup.EMPLOYEE not in report.respondents
    assert any("for få svar" in note for note in report.notes)


def test_dont_know_and_declined_do_not_count_towards_the_threshold(session: Session) -> None:
    org, round_id, evaluatee, tokens = _run(session, employees=6, peers=0)
    employees = tokens_of(session, evaluatee, tokens, G.EMPLOYEE)
    for token in employees[:4]:
        answer(session, token, {"K1.1": 3, "K1.2": 3})
    answer(session, employees[4], {"K1.1": AnswerChoice.DONT_KNOW, "K1.2": 3})
    answer(session, employees[5], {"K1.1": AnswerChoice.DECLINED, "K1.2": AnswerChoice.DECLINED})
    move(session, org, round_id, RoundStatus.CLOSED)
    report = build_report(session, evaluatee_id=evaluatee.id)
    assert _statement(report, "K1.1").groups == []  # 4 scores: under 5, per statement
    assert [c.count for c in _statement(report, "K1.2").groups] == [5]


def test_four_employees_and_one_peer_are_shown_only_merged_as_others(session: Session) -> None:
    org, round_id, evaluatee, tokens = _run(session, employees=4, peers=1)
    for token in tokens_of(session, evaluatee, tokens, G.EMPLOYEE):
        answer(session, token, {"K1.1": 4})
    (peer,) = tokens_of(session, evaluatee, tokens, G.PEER)
    answer(session, peer, {"K1.1": 1})
    move(session, org, round_id, RoundStatus.CLOSED)
    statement = _statement(build_report(session, evaluatee_id=evaluatee.id), "K1.1")
    assert [(c.group, c.count) for c in statement.groups] == [(ReportGroup.OTHERS, 5)]
    assert statement.others_average == 3.4


def test_others_too_small_after_merging_are_suppressed(session: Session) -> None:
    org, round_id, evaluatee, tokens = _run(session, employees=3, peers=1)
    for token in tokens_of(session, evaluatee, tokens, G.EMPLOYEE) + tokens_of(
        session, evaluatee, tokens, G.PEER
    ):
        answer(session, token, {"K1.1": 4})
    move(session, org, round_id, RoundStatus.CLOSED)
    statement = _statement(build_report(session, evaluatee_id=evaluatee.id), "K1.1")
    assert statement.groups == []
    assert sorted(statement.suppressed) == ["Ledere på samme niveau", "Medarbejdere"]


def test_a_shown_group_is_never_merged_so_no_difference_reveals_a_hidden_one(
    session: Session,
) -> None:
    org, round_id, evaluatee, tokens = _run(session, employees=5, peers=2)
    for token in tokens_of(session, evaluatee, tokens, G.EMPLOYEE):
        answer(session, token, {"K1.1": 4})
    for token in tokens_of(session, evaluatee, tokens, G.PEER):
        answer(session, token, {"K1.1": 1})
    move(session, org, round_id, RoundStatus.CLOSED)
    statement = _statement(build_report(session, evaluatee_id=evaluatee.id), "K1.1")
    assert [(c.group, c.count) for c in statement.groups] == [(ReportGroup.EMPLOYEE, 5)]
    # "Andre" and the gap use the shown cells only: the two hidden peers' 1s are not in it.
    assert statement.others_average == 4.0


def test_gap_is_self_against_the_shown_answers(session: Session) -> None:
    org, round_id, evaluatee, tokens = _run(session, employees=4, peers=0)
    (own,) = tokens_of(session, evaluatee, tokens, G.SELF)
    (chef,) = tokens_of(session, evaluatee, tokens, G.CHEF)
    answer(session, own, {"K1.1": 5})
    answer(session, chef, {"K1.1": 3})
    for token in tokens_of(session, evaluatee, tokens, G.EMPLOYEE):
        answer(session, token, {"K1.1": 1})
    move(session, org, round_id, RoundStatus.CLOSED)
    statement = _statement(build_report(session, evaluatee_id=evaluatee.id), "K1.1")
    assert (statement.self_score, statement.chef_score) == (5, 3.0)
    assert (statement.others_average, statement.gap) == (3.0, 2.0)


def test_named_peers_are_shown_without_a_threshold(session: Session) -> None:
    org, round_id, evaluatee, tokens = _run(session, employees=0, peers=2, peers_named=True)
    for token in tokens_of(session, evaluatee, tokens, G.PEER):
        answer(session, token, {"K1.1": 2})
    move(session, org, round_id, RoundStatus.CLOSED)
    statement = _statement(build_report(session, evaluatee_id=evaluatee.id), "K1.1")
    assert [(c.group, c.count) for c in statement.groups] == [(ReportGroup.PEER, 2)]


def _comment(session: Session, token: str, text: str) -> None:
    submit_answers(
        session,
        token=token,
        ratings=[],
        comments=[CommentInput(field_key="K1", text=text)],
        now=utcnow(),
    )


def test_comments_show_only_when_the_group_meets_its_threshold(session: Session) -> None:
    org, round_id, evaluatee, tokens = _run(session, employees=5, peers=2)
    employees = tokens_of(session, evaluatee, tokens, G.EMPLOYEE)
    for index, token in enumerate(employees):
        answer(session, token, {"K1.1": 3})
        _comment(session, token, f"Medarbejderkommentar {index}")
    for token in tokens_of(session, evaluatee, tokens, G.PEER):
        answer(session, token, {"K1.1": 3})
        _comment(session, token, "Kollegakommentar")
    move(session, org, round_id, RoundStatus.CLOSED)
    field = build_report(session, evaluatee_id=evaluatee.id).fields[0]
    assert {group for group, _ in field.comments} == {ReportGroup.EMPLOYEE}
    assert len(field.comments) == 5
    assert field.comments_withheld == ["Ledere på samme niveau"]


def test_comments_come_in_random_order(session: Session) -> None:
    org, round_id, evaluatee, tokens = _run(session, employees=6, peers=0)
    for index, token in enumerate(tokens_of(session, evaluatee, tokens, G.EMPLOYEE)):
        answer(session, token, {"K1.1": 3})
        _comment(session, token, f"Kommentar {index}")
    move(session, org, round_id, RoundStatus.CLOSED)
    orders = {
        tuple(
            text for _, text in build_report(session, evaluatee_id=evaluatee.id).fields[0].comments
        )
        for _ in range(12)
    }
    assert len(orders) > 1  # 6! orders: twelve equal draws would be a 1 in 720**11 chance


def test_the_demo_has_a_released_round_whose_report_applies_the_rules(session: Session) -> None:
    """seed/demo.yaml: Sofie's report shows six employees, merges K1.2, leaves out the peers."""
    from sqlalchemy import select

    from catalogue.models import EvaluationRound, Person

    round_ = session.scalars(
        select(EvaluationRound).where(EvaluationRound.name == "Ledelsesevaluering efterår (demo)")
    ).one()
    assert round_.status is RoundStatus.RELEASED
    sofie = session.scalars(
        select(Person).where(Person.email == "sofie.noergaard@demo.ltk.example")
    ).one()
    evaluatee = session.scalars(
        select(Evaluatee).where(Evaluatee.round_id == round_.id, Evaluatee.person_id == sofie.id)
    ).one()
    report = build_report(session, evaluatee_id=evaluatee.id)
    assert [(c.group, c.count) for c in _statement(report, "K1.1").groups] == [
        (ReportGroup.EMPLOYEE, 6)
    ]
    assert [(c.group, c.count) for c in _statement(report, "K1.2").groups] == [
        (ReportGroup.OTHERS, 6)
    ]
    assert report.fields[0].comments_withheld == ["Ledere på samme niveau"]
    assert len(report.fields[0].comments) == 2


def test_the_dialogue_gets_the_shown_averages_of_a_released_report_only(session: Session) -> None:
    from catalogue.services.evaluation_report import dialogue_averages

    org, round_id, evaluatee, tokens = _run(session, employees=5, peers=1)
    (own,) = tokens_of(session, evaluatee, tokens, G.SELF)
    answer(session, own, {"K1.1": 5})
    for token in tokens_of(session, evaluatee, tokens, G.EMPLOYEE):
        answer(session, token, {"K1.1": 2, "K1.2": 3})
    (peer,) = tokens_of(session, evaluatee, tokens, G.PEER)
    answer(session, peer, {"K1.1": 1})
    move(session, org, round_id, RoundStatus.CLOSED)
    with pytest.raises(DomainError):
        dialogue_averages(session, evaluatee_id=evaluatee.id)  # closed, not released
    move(session, org, round_id, RoundStatus.RELEASED)
    averages = dialogue_averages(session, evaluatee_id=evaluatee.id)
    assert averages == {"K1.1": {"EMPLOYEE": 2.0, "SELF": 5.0}, "K1.2": {"EMPLOYEE": 3.0}}
