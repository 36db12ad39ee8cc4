"""personDataExport's document: every area of the person's data, audited without a copy."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import AuditLogEntry, Role
from catalogue.services import enrolments
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.privacy.areas import AREAS, ERASED_NAME
from catalogue.services.privacy.erasure import erase_person
from catalogue.services.privacy.export import EXPORT_FORMAT, export_person_data
from tests.enrolment.factories import Org, make_run, new_leader, viewer
from tests.privacy.domains import (
    RECRUITMENT_SECRETS,
    SECRETS,
    leader_hired_through_recruitment,
    leader_in_the_later_domains,
)
from tests.privacy.history import EVIDENCE, MOTIVATION, leader_with_history


def test_the_export_holds_every_area_of_the_persons_data(session: Session, org: Org) -> None:
    history = leader_with_history(session, org)
    leader = history.leader
    document = export_person_data(session, actor=viewer(org.admin, Role.ADMIN), person_id=leader.id)
    assert json.loads(json.dumps(document)) == document  # plain JSON, nothing else
    assert document["format"] == EXPORT_FORMAT
    assert set(document) >= {area.name for area in AREAS}
    assert set(document["contents"]) == {area.name for area in AREAS}  # what each part holds
    assert "lms" in document["sharedWith"]
    person = document["person"]
    assert (person["name"], person["email"]) == (leader.name, leader.email)
    assert person["manager"] == {"id": org.chef.id, "name": org.chef.name}
    assert person["roles"] == ["LEADER"]

    by_run = {e["courseRun"]: e for e in document["enrolments"]}
    finished = by_run[history.finished_run.code]
    assert finished["motivation"] == MOTIVATION
    assert finished["focusStatements"] == ["K1.1"]
    assert finished["course"] == history.finished_run.course.title
    assert by_run[history.upcoming_run.code]["status"] == "ENROLLED"

    [completion] = document["activityCompletions"]
    assert (completion["evidenceUrl"], completion["result"]) == (EVIDENCE, "Bestået")

    about = {entry["action"] for entry in document["auditEntriesAboutPerson"]}
    assert {"ENROLMENT_ENROLLED", "COMPLETION_RECORDED"} <= about
    by = document["auditEntriesByPerson"]
    assert by
    assert all("details" not in entry for entry in by)


def test_the_export_is_audited_without_a_copy_of_the_data(session: Session, org: Org) -> None:
    history = leader_with_history(session, org)
    export_person_data(session, actor=viewer(org.admin, Role.ADMIN), person_id=history.leader.id)
    entry = session.scalars(
        select(AuditLogEntry).where(
            AuditLogEntry.person_id == history.leader.id,
            AuditLogEntry.action == "PERSON_DATA_EXPORTED",
        )
    ).one()
    assert entry.actor_id == org.admin.id
    logged = json.dumps(entry.details, ensure_ascii=False) + str(entry.reason)
    for personal in (history.leader.name, history.leader.email, MOTIVATION, EVIDENCE):
        assert personal not in logged
    assert entry.details["areas"]["enrolments"] == 2


def test_a_chefs_export_lists_what_they_did_to_others_without_the_others_details(
    session: Session, org: Org
) -> None:
    leader = new_leader(session, org.chef, "Anmoder")
    run = make_run(session, approval_required=True)
    request = enrolments.enrol(
        session, actor=viewer(leader), course_run_id=run.id, motivation="Min egen grund"
    )
    enrolments.approve(session, actor=viewer(org.chef, Role.CHEF), enrolment_id=request.id)
    document = export_person_data(
        session, actor=viewer(org.admin, Role.ADMIN), person_id=org.chef.id
    )
    approvals = [e for e in document["auditEntriesByPerson"] if e["action"] == "ENROLMENT_APPROVED"]
    assert approvals[-1]["personId"] == leader.id
    assert "Min egen grund" not in json.dumps(document, ensure_ascii=False)


def test_an_erased_persons_export_shows_what_is_left(session: Session, org: Org) -> None:
    leader = new_leader(session, org.chef, "Slettes")
    admin = viewer(org.admin, Role.ADMIN)
    erase_person(session, actor=admin, person_id=leader.id)
    document = export_person_data(session, actor=admin, person_id=leader.id)
    assert document["person"]["name"] == ERASED_NAME
    assert document["person"]["erasedAt"] is not None


def test_an_unknown_person_cannot_be_exported(session: Session, org: Org) -> None:
    with pytest.raises(DomainError) as refused:
        export_person_data(session, actor=viewer(org.admin, Role.ADMIN), person_id=2_000_000_000)
    assert (refused.value.code, refused.value.field) == (ErrorCode.NOT_FOUND, "personId")


def test_the_export_holds_the_dialogues_evaluations_logins_history_and_groups(
    session: Session, org: Org
) -> None:
    leader = new_leader(session, org.chef, "Dialog")
    domains = leader_in_the_later_domains(session, org, leader)
    admin = viewer(org.admin, Role.ADMIN)
    document = export_person_data(session, actor=admin, person_id=leader.id)
    assert json.loads(json.dumps(document)) == document

    [dialogue] = document["dialogues"]
    assert (dialogue["summary"], dialogue["meetingPlace"]) == (
        SECRETS["summary"],
        SECRETS["place"],
    )
    assert dialogue["cycle"] == {"year": 2025, "title": "LUS 2025"}
    assert dialogue["adaptation"][0]["rationale"] == SECRETS["rationale"]
    assert dialogue["assessments"][0] == {
        "statement": "K1.1",
        "side": "LEADER",
        "score": 2,
        "comment": SECRETS["comment"],
    }
    [focus] = dialogue["focus"]
    assert (focus["goal"], focus["successCriteria"]) == (SECRETS["goal"], SECRETS["criteria"])
    assert focus["actions"][0]["description"] == SECRETS["action"]
    assert [a["id"] for a in document["developmentActionsOwned"]] == [domains.action.id]

    [evaluation] = document["evaluations"]
    assert evaluation["round"]["name"] == "Ledelsesevaluering 2025"
    assert [c["text"] for c in evaluation["comments"]] == [SECRETS["evaluation"]]
    [invitation] = document["evaluationInvitations"]
    assert (invitation["email"], invitation["group"]) == (leader.email, "SELF")
    assert "token" not in json.dumps(invitation)

    [login] = document["loginSessions"]
    assert (login["method"], login["roles"]) == ("oidc", "LEADER")
    assert [p["managerId"] for p in document["managerPeriods"]] == [org.chef.id]
    assert document["roleGroups"] == [{"group": domains.group.display_name, "role": "LEADER"}]

    chef = export_person_data(session, actor=admin, person_id=org.chef.id)
    assert leader.id in [d["leaderId"] for d in chef["dialoguesAsChef"]]
    assert leader.id in [p["personId"] for p in chef["managerPeriodsAsManager"]]
    assert domains.invitation.id in [i["id"] for i in chef["evaluationInvitationsProposed"]]
    assert SECRETS["summary"] not in json.dumps(chef, ensure_ascii=False)
    hr = export_person_data(session, actor=admin, person_id=org.hr.id)
    assert domains.cycle.id in [c["id"] for c in hr["dialogueCyclesMade"]]
    assert domains.round.id in [r["id"] for r in hr["evaluationRoundsMade"]]


def test_the_export_never_links_the_person_to_an_answer(session: Session, org: Org) -> None:
    """Being invited shows in the export; whether or how they answered never does."""
    leader = new_leader(session, org.chef, "Anonym")
    leader_in_the_later_domains(session, org, leader)
    document = export_person_data(session, actor=viewer(org.admin, Role.ADMIN), person_id=leader.id)
    [invitation] = document["evaluationInvitations"]
    assert set(invitation) == {
        "id",
        "roundId",
        "evaluateeId",
        "group",
        "email",
        "status",
        "proposedById",
    }


def test_the_export_holds_the_candidacy_and_the_committee_work(session: Session, org: Org) -> None:
    leader = new_leader(session, org.chef, "Ansat")
    hired = leader_hired_through_recruitment(session, org, leader)
    admin = viewer(org.admin, Role.ADMIN)
    document = export_person_data(session, actor=admin, person_id=leader.id)
    [candidacy] = document["candidacies"]
    assert (candidacy["email"], candidacy["committeeReason"]) == (
        leader.email,
        RECRUITMENT_SECRETS["reason"],
    )
    assert candidacy["scores"][0]["evidence"] == RECRUITMENT_SECRETS["evidence"]
    assert candidacy["calibrationNotes"][0]["note"] == RECRUITMENT_SECRETS["calibration"]
    [seat] = document["committeeMemberships"]
    assert seat["conflicts"][0]["note"] == RECRUITMENT_SECRETS["conflict"]
    assert [h["focusStatements"] for h in document["recruitmentHandOvers"]] == [["K1.1"]]
    chef = export_person_data(session, actor=admin, person_id=org.chef.id)
    assert hired.job_profile.id in [p["id"] for p in chef["jobProfiles"]]
    written = chef["recruitmentWork"]["calibrationNotesWritten"]
    assert hired.candidate.id in [n["candidateId"] for n in written]
    assert RECRUITMENT_SECRETS["calibration"] not in json.dumps(chef, ensure_ascii=False)
