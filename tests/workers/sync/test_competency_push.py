"""Competence profile push: the profile as a Moodle competency framework, linked to courses."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    CompetenceLink,
    CompetenceStatement,
    CourseStatus,
    LinkStrength,
    SyncKind,
    SyncRun,
)
from catalogue.models import SyncStatus as S
from catalogue.models.base import utcnow
from catalogue.services.lms_sync.competencies import framework_code, to_html
from catalogue.services.profiles import current_profile, statement_by_key
from tests.fakes.moodle import MoodleSimulator
from tests.fakes.moodle.schema import WsError, missing_record
from tests.fakes.moodle.site import SimFramework
from tests.workers.sync.conftest import Sync, course
from workers.lms.errors import LmsAuthError, LmsPermanentError
from workers.lms.moodle import COMPETENCY_FUNCTIONS, REQUIRED_FUNCTIONS
from workers.lms.moodle_gateway import moodle_name

#: Published courses mapped to Moodle, with the statements of their PRIMARY links in
#: document order; SUPPORTING links are not pushed.
PUBLISHED = {
    "KUR-KONFLIKT": ["K1.5"],
    "KUR-FEEDBACK": ["K1.3", "K3.3"],
    "DIP-LED-02": ["K1.1", "K1.6"],
    "KUR-KOMMUNIKATION": ["K1.4", "K3.2", "K3.5"],
}
DRAFT = "KUR-DIGITAL"
FIELDS = 7
STATEMENTS = 39
WRITES = frozenset(
    {
        "core_competency_create_competency_framework",
        "core_competency_update_competency_framework",
        "core_competency_create_competency",
        "core_competency_update_competency",
        "core_competency_add_competency_to_course",
        "core_competency_remove_competency_from_course",
    }
)


@pytest.fixture
def mapped(session: Session, sim: MoodleSimulator) -> dict[str, int]:
    """Four published courses and a draft, each mapped to its Moodle course, as a pull leaves it."""
    ids: dict[str, int] = {}
    for code in (*PUBLISHED, DRAFT):
        found = course(session, code)
        ids[code] = sim.add_course(found.title, idnumber=code)
        found.lms_course_id = str(ids[code])
    session.commit()
    return ids


@pytest.fixture
def framework(session: Session) -> str:
    """The idnumber of the current profile's framework."""
    profile = current_profile(session)
    assert profile is not None
    return framework_code(profile)


def _sim_framework(sim: MoodleSimulator, idnumber: str) -> SimFramework:
    found = sim.framework_by_idnumber(idnumber)
    assert found is not None, idnumber
    return found


def _writes(sim: MoodleSimulator, since: int = 0) -> list[str]:
    return [call.wsfunction for call in sim.calls[since:] if call.wsfunction in WRITES]


def _statement(session: Session, key: str) -> CompetenceStatement:
    found = statement_by_key(session, key)
    assert found is not None, key
    return found


def test_the_first_run_creates_the_framework_its_competencies_and_the_course_links(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: dict[str, int], framework: str
) -> None:
    outcome = sync(SyncKind.COMPETENCIES)

    assert outcome.status is S.SUCCEEDED, outcome.issues
    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.failed) == (
        1 + FIELDS + STATEMENTS,
        len(PUBLISHED),
        1,
        0,
    ), "the draft course is read but gets nothing"
    profile = current_profile(session)
    assert profile is not None
    created = _sim_framework(sim, framework)
    assert framework == f"LTK-LEDER-V{profile.version}"
    assert created.shortname == profile.title
    assert (created.visible, created.scaleid, created.taxonomies) == (True, 2, "domain,competency")
    assert created.description == to_html(profile.intro)
    assert created.description.startswith("<p>Kompetenceprofilen for ledere er en konkretisering")
    assert created.description.count("<p>") == 2, "one paragraph per paragraph of the intro"

    competencies = {c.idnumber: c for c in sim.competencies.values()}
    assert len(competencies) == FIELDS + STATEMENTS
    k1 = competencies["K1"]
    assert (k1.shortname, k1.parentid, k1.description) == (
        "Personlige kompetencer",
        0,
        "De personlige kompetencer går på tværs af leder- og medarbejdergrundlagets fem temaer",
    )
    children = sorted(sim.children(created.id, k1.id), key=lambda c: c.sortorder)
    assert [c.idnumber for c in children] == [f"K1.{n}" for n in range(1, 11)]
    for key in ("K1.5", "K7.1", "K7.3", "K3.5"):  # æøå, typographic quotes, en dashes
        text = _statement(session, key).text
        assert competencies[key].description == text, "the statement, character for character"
        assert competencies[key].shortname == text
    long_text = _statement(session, "K2.3").text
    assert len(long_text) > 100
    assert competencies["K2.3"].description == long_text
    name = competencies["K2.3"].shortname
    assert len(name) <= 100
    assert name.endswith("…")
    assert long_text.startswith(name.removesuffix("…"))

    for code, keys in PUBLISHED.items():
        assert sim.course_competency_idnumbers(mapped[code]) == keys, code
    assert sim.course_competency_idnumbers(mapped[DRAFT]) == []
    run = session.get(SyncRun, outcome.run_id)
    assert run is not None
    assert run.kind is SyncKind.COMPETENCIES
    assert run.message == (
        "Kompetenceprofilen sendt til LMS'et: 47 oprettet, 4 opdateret, 1 uændret, 0 fejlet"
    )


def test_a_second_run_with_nothing_changed_makes_no_write_call(
    sync: Sync, sim: MoodleSimulator, mapped: dict[str, int]
) -> None:
    sync(SyncKind.COMPETENCIES)
    before = len(sim.calls)

    outcome = sync(SyncKind.COMPETENCIES)

    assert _writes(sim, before) == []
    assert [call.wsfunction for call in sim.calls[before:]] == [
        "core_webservice_get_site_info",
        "core_competency_list_competency_frameworks",
        "core_competency_list_competencies",
        *["core_competency_list_course_competencies"] * len(mapped),
    ]
    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.failed) == (
        0,
        0,
        1 + FIELDS + STATEMENTS + len(mapped),
        0,
    )


def test_a_changed_statement_text_is_updated_and_an_edit_in_moodle_is_put_back(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: dict[str, int], framework: str
) -> None:
    sync(SyncKind.COMPETENCIES)
    statement = _statement(session, "K1.2")
    statement.text = "Have en anerkendende og tillidsfuld omgang med andre – også i «svære» tider"
    session.commit()
    in_moodle = sim.competency_by_idnumber(_sim_framework(sim, framework).id, "K4.1")
    assert in_moodle is not None
    in_moodle.shortname = "Rettet i Moodle"
    before = len(sim.calls)

    outcome = sync(SyncKind.COMPETENCIES)

    assert _writes(sim, before) == ["core_competency_update_competency"] * 2
    assert (outcome.created, outcome.updated, outcome.failed) == (0, 2, 0)
    assert {"K1.2: tekst rettet", "K4.1: tekst rettet"} <= set(outcome.changes)
    k12 = sim.competency_by_idnumber(_sim_framework(sim, framework).id, "K1.2")
    assert k12 is not None
    assert (k12.shortname, k12.description) == (statement.text, statement.text)
    assert in_moodle.id in sim.competencies
    assert sim.competencies[in_moodle.id].shortname == _statement(session, "K4.1").text


def test_texts_moodle_escapes_are_not_sent_again(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: dict[str, int]
) -> None:
    statement = _statement(session, "K5.2")
    statement.text = "Styre ressourcerne: økonomi & materialer <inden for rammen>"
    session.commit()
    sync(SyncKind.COMPETENCIES)
    before = len(sim.calls)

    outcome = sync(SyncKind.COMPETENCIES)

    assert _writes(sim, before) == []
    assert outcome.updated == 0


def test_a_dry_run_makes_no_write_call_and_counts_what_it_would_do(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: dict[str, int]
) -> None:
    outcome = sync(SyncKind.COMPETENCIES, dry_run=True)

    assert _writes(sim) == []
    assert sim.competency_frameworks == {}
    assert outcome.dry_run
    assert outcome.status is S.SUCCEEDED
    assert (outcome.created, outcome.updated, outcome.unchanged) == (47, 4, 1)
    assert outcome.message.startswith("Prøvekørsel, intet er gemt.")
    assert (
        "KUR-FEEDBACK (LMS-kursus {}): koblet til K1.3, K3.3".format(mapped["KUR-FEEDBACK"])
        in outcome.changes
    )

    sync(SyncKind.COMPETENCIES)
    link = session.scalar(
        select(CompetenceLink).where(
            CompetenceLink.course_id == course(session, "KUR-KONFLIKT").id,
            CompetenceLink.statement_id == _statement(session, "K1.5").id,
        )
    )
    assert link is not None
    link.removed_at = utcnow()
    session.commit()
    before = len(sim.calls)

    again = sync(SyncKind.COMPETENCIES, dry_run=True)

    assert _writes(sim, before) == []
    assert sim.course_competency_idnumbers(mapped["KUR-KONFLIKT"]) == ["K1.5"]
    assert (again.created, again.updated) == (0, 1)


def test_a_moodle_error_on_one_competency_does_not_stop_the_rest(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: dict[str, int], framework: str
) -> None:
    sim.fail_calls(
        "core_competency_create_competency",
        lambda params: params["competency"]["idnumber"] == "K3.2",
        missing_record("competency"),
    )

    outcome = sync(SyncKind.COMPETENCIES)

    assert outcome.status is S.PARTIAL
    assert (outcome.created, outcome.failed) == (1 + FIELDS + STATEMENTS - 1, 1)
    assert any(
        issue.startswith("fejl: kompetence K3.2: Moodle fandt ikke") for issue in outcome.issues
    )
    assert (
        "advarsel: kursus KUR-KOMMUNIKATION: KUR-KOMMUNIKATION kobles ikke til K3.2, fordi K3.2 "
        "mangler i LMS'et."
    ) in outcome.issues
    created = _sim_framework(sim, framework)
    assert sim.competency_by_idnumber(created.id, "K3.2") is None
    assert sim.competency_by_idnumber(created.id, "K3.3") is not None
    assert sim.course_competency_idnumbers(mapped["KUR-KOMMUNIKATION"]) == ["K1.4", "K3.5"]

    sim.faults.errors.clear()
    healed = sync(SyncKind.COMPETENCIES)

    assert healed.status is S.SUCCEEDED
    assert (healed.created, healed.updated, healed.failed) == (1, 1, 0)
    assert sim.course_competency_idnumbers(mapped["KUR-KOMMUNIKATION"]) == [
        "K1.4",
        "K3.5",
        "K3.2",
    ]


def test_a_field_that_fails_fails_its_statements_with_a_clear_message_and_nothing_else(
    sync: Sync, sim: MoodleSimulator, mapped: dict[str, int]
) -> None:
    sim.fail_calls(
        "core_competency_create_competency",
        lambda params: params["competency"]["idnumber"] == "K2",
        WsError("invalidpersistenterror", "Error: Invalid data value"),
    )

    outcome = sync(SyncKind.COMPETENCIES)

    assert outcome.status is S.PARTIAL
    assert outcome.failed == 1 + 4, "K2 and its four statements"
    assert (
        "fejl: kompetence K2.1: K2.1 kan ikke oprettes, fordi kompetencefeltet K2 mangler i "
        "LMS'et (se fejlen for det)."
    ) in outcome.issues
    assert len(sim.competencies) == FIELDS + STATEMENTS - 5


def test_links_the_catalogue_removes_are_removed_and_a_teachers_own_are_kept(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: dict[str, int]
) -> None:
    sync(SyncKind.COMPETENCIES)
    own = sim.add_competency_framework("Skolens egne", "SKOLE")
    teachers = sim.add_competency(own, "Samarbejde med forældre", "S1")
    sim.link_course_competency(mapped["KUR-KONFLIKT"], teachers)
    konflikt = course(session, "KUR-KONFLIKT")
    for link in session.scalars(
        select(CompetenceLink).where(CompetenceLink.course_id == konflikt.id)
    ):
        link.removed_at = utcnow()
    course(session, "DIP-LED-02").status = CourseStatus.ARCHIVED
    session.commit()
    before = len(sim.calls)

    outcome = sync(SyncKind.COMPETENCIES)

    assert _writes(sim, before) == ["core_competency_remove_competency_from_course"] * 3
    assert sim.course_competency_idnumbers(mapped["KUR-KONFLIKT"]) == ["S1"]
    assert sim.course_competency_idnumbers(mapped["DIP-LED-02"]) == []
    assert (outcome.updated, outcome.failed) == (2, 0)
    assert f"KUR-KONFLIKT (LMS-kursus {mapped['KUR-KONFLIKT']}): koblet fra K1.5" in outcome.changes


def test_a_primary_link_on_an_activity_links_its_course_and_supporting_ones_do_not(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: dict[str, int]
) -> None:
    konflikt = course(session, "KUR-KONFLIKT")
    first, second = konflikt.activities[:2]
    for activity, key, strength in (
        (first, "K6.2", LinkStrength.PRIMARY),
        (second, "K6.4", LinkStrength.SUPPORTING),
    ):
        session.add(
            CompetenceLink(
                statement_id=_statement(session, key).id,
                activity_id=activity.id,
                strength=strength,
                rationale="Øvelsen træner det.",
                linked_at=utcnow(),
            )
        )
    session.commit()

    sync(SyncKind.COMPETENCIES)

    assert sim.course_competency_idnumbers(mapped["KUR-KONFLIKT"]) == ["K1.5", "K6.2"]


def test_a_framework_hidden_or_renamed_in_moodle_is_shown_and_named_again(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: dict[str, int], framework: str
) -> None:
    sync(SyncKind.COMPETENCIES)
    created = _sim_framework(sim, framework)
    created.visible = False
    created.shortname = "Gammelt navn"
    before = len(sim.calls)

    outcome = sync(SyncKind.COMPETENCIES)

    assert _writes(sim, before) == ["core_competency_update_competency_framework"]
    shown = _sim_framework(sim, framework)
    profile = current_profile(session)
    assert profile is not None
    assert (shown.visible, shown.shortname) == (True, moodle_name(profile.title))
    assert shown.description == to_html(profile.intro)
    assert outcome.updated == 1


def test_a_competency_moved_in_moodle_is_reported_not_moved(
    sync: Sync, sim: MoodleSimulator, mapped: dict[str, int], framework: str
) -> None:
    sync(SyncKind.COMPETENCIES)
    created = _sim_framework(sim, framework)
    moved = sim.competency_by_idnumber(created.id, "K1.1")
    k2 = sim.competency_by_idnumber(created.id, "K2")
    assert moved is not None
    assert k2 is not None
    moved.parentid = k2.id
    before = len(sim.calls)

    outcome = sync(SyncKind.COMPETENCIES)

    assert _writes(sim, before) == []
    assert outcome.status is S.SUCCEEDED
    assert outcome.issues == (
        "advarsel: kompetence K1.1: K1.1 ligger et andet sted i LMS'et end under K1; flyt den "
        "tilbage i LMS'et (synkroniseringen flytter ikke kompetencer).",
    )


def test_a_missing_course_in_moodle_fails_that_course_only(
    sync: Sync, sim: MoodleSimulator, mapped: dict[str, int]
) -> None:
    del sim.courses[mapped["KUR-FEEDBACK"]]

    outcome = sync(SyncKind.COMPETENCIES)

    assert outcome.status is S.PARTIAL
    assert outcome.failed == 1
    assert any(issue.startswith("fejl: kursus KUR-FEEDBACK:") for issue in outcome.issues)
    assert sim.course_competency_idnumbers(mapped["KUR-KONFLIKT"]) == ["K1.5"]


def test_missing_competency_functions_fail_the_run_at_once_naming_them(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: dict[str, int]
) -> None:
    sim.restrict_functions(set(REQUIRED_FUNCTIONS))

    with pytest.raises(LmsAuthError) as raised:
        sync(SyncKind.COMPETENCIES)

    assert raised.value.errorcode == "missingfunctions"
    for name in COMPETENCY_FUNCTIONS:
        assert name in str(raised.value)
    assert [call.wsfunction for call in sim.calls] == ["core_webservice_get_site_info"]
    run = session.scalars(select(SyncRun).order_by(SyncRun.id.desc())).first()
    assert run is not None
    assert (run.kind, run.status) == (SyncKind.COMPETENCIES, S.FAILED)
    assert run.message is not None
    assert "core_competency_add_competency_to_course" in run.message


@pytest.mark.parametrize(
    ("break_it", "errorcode"),
    [
        (lambda sim: setattr(sim, "competencies_enabled", False), "competenciesarenotenabled"),
        (
            lambda sim: sim.service.capabilities.discard("moodle/competency:competencymanage"),
            "nopermissions",
        ),
    ],
    ids=["competencies-disabled", "no-capability"],
)
def test_a_site_without_competencies_or_the_capability_fails_the_run_with_moodles_reason(
    session: Session,
    sync: Sync,
    sim: MoodleSimulator,
    mapped: dict[str, int],
    break_it: object,
    errorcode: str,
) -> None:
    assert callable(break_it)
    break_it(sim)

    with pytest.raises(LmsPermanentError) as raised:
        sync(SyncKind.COMPETENCIES)

    assert raised.value.errorcode == errorcode
    run = session.scalars(select(SyncRun).order_by(SyncRun.id.desc())).first()
    assert run is not None
    assert run.status is S.FAILED
    assert run.message is not None
    assert errorcode in run.message
    assert "Ret opsætningen" in run.message
    assert sim.competency_frameworks == {}


def test_without_a_published_profile_there_is_nothing_to_send(
    session: Session, sync: Sync, sim: MoodleSimulator
) -> None:
    profile = current_profile(session)
    assert profile is not None
    profile.published_at = None
    session.commit()

    outcome = sync(SyncKind.COMPETENCIES)

    assert outcome.status is S.SUCCEEDED
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 0)
    assert outcome.issues == (
        "advarsel: kompetenceprofil None: Der er ingen offentliggjort kompetenceprofil, så der "
        "er intet at sende til LMS'et.",
    )
    assert [call.wsfunction for call in sim.calls] == ["core_webservice_get_site_info"]
