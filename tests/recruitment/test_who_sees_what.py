"""Who sees a vacancy's candidates, scorecards and calibration: the service-level matrix.

HR and the hiring chef see everything of their vacancy; a cleared member what the
rules allow; everyone else, leaders and chefs included, nothing (told it is not there).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from catalogue.models import Person
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.recruitment import calibration, candidates, scorecards
from tests.enrolment.factories import Org, viewer
from tests.recruitment.factories import KEYS, Vacancy, clear, submit

Read = Callable[[Session, Viewer, Vacancy], object]

READS: dict[str, Read] = {
    "candidate": lambda s, a, v: candidates.read_candidate(
        s, actor=a, candidate_id=v.candidates[0].id
    ),
    "candidates": lambda s, a, v: candidates.list_candidates(
        s, actor=a, job_profile_id=v.job_profile.id
    ),
    "scorecards": lambda s, a, v: scorecards.visible_scorecards(
        s, actor=a, candidate_id=v.candidates[0].id, round_number=1
    ),
    "calibration": lambda s, a, v: calibration.calibration(
        s, actor=a, candidate_id=v.candidates[0].id, round_number=1
    ),
}


def outcome(session: Session, actor: Viewer, vacancy: Vacancy, read: Read) -> str:
    try:
        read(session, actor, vacancy)
    except DomainError as error:
        return error.code.value
    return "OK"


def people(org: Org, vacancy: Vacancy) -> dict[str, Person]:
    return {
        "hr": org.hr,
        "admin": org.admin,
        "hiring_chef": vacancy.chef,
        "member_submitted": vacancy.people[1],
        "member_not_submitted": vacancy.people[2],
        "leader_outside": org.leader,
        "chef_outside": org.other_chef,
        "director": org.director,
        "lms": org.lms,
    }


EXPECTED = {
    "hr": {"candidate": "OK", "candidates": "OK", "scorecards": "OK", "calibration": "OK"},
    "admin": {"candidate": "OK", "candidates": "OK", "scorecards": "OK", "calibration": "OK"},
    "hiring_chef": {"candidate": "OK", "candidates": "OK", "scorecards": "OK", "calibration": "OK"},
    "member_submitted": {
        "candidate": "OK",
        "candidates": "OK",
        "scorecards": "OK",
        "calibration": "OK",
    },
    "member_not_submitted": {
        "candidate": "OK",
        "candidates": "OK",
        "scorecards": "OK",
        "calibration": "FORBIDDEN",
    },
    **{
        outsider: dict.fromkeys(READS, "NOT_FOUND")
        for outsider in ("leader_outside", "chef_outside", "director", "lms")
    },
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_person_sees_what_the_rules_allow(
    session: Session, org: Org, vacancy: Vacancy, who: str
) -> None:
    cast = people(org, vacancy)
    for person in vacancy.people:
        clear(session, vacancy, person)
    submit(session, vacancy, vacancy.people[1], vacancy.candidates[0], dict.fromkeys(KEYS, 3))
    actor = viewer(cast[who])
    assert {name: outcome(session, actor, vacancy, read) for name, read in READS.items()} == (
        EXPECTED[who]
    )


def test_a_member_who_has_not_submitted_sees_no_one_elses_scorecard(
    session: Session, vacancy: Vacancy
) -> None:
    for person in vacancy.people:
        clear(session, vacancy, person)
    submit(session, vacancy, vacancy.people[1], vacancy.candidates[0], dict.fromkeys(KEYS, 3))
    seen = scorecards.visible_scorecards(
        session,
        actor=viewer(vacancy.people[2]),
        candidate_id=vacancy.candidates[0].id,
        round_number=1,
    )
    assert seen == []
    chef_sees = scorecards.visible_scorecards(
        session,
        actor=viewer(vacancy.chef),
        candidate_id=vacancy.candidates[0].id,
        round_number=1,
    )
    assert [card.member_id for card in chef_sees] == [vacancy.members[1].id]


def test_an_uncleared_member_sees_no_candidate(session: Session, vacancy: Vacancy) -> None:
    actor = viewer(vacancy.people[1])
    for name in ("candidate", "candidates"):
        assert outcome(session, actor, vacancy, READS[name]) == ErrorCode.FORBIDDEN.value
