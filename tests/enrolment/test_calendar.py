"""The calendar file of an enrolment: the run's sessions, or its first and last day.

Each file is parsed with the icalendar library, as a calendar program would.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar, Event
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import CourseRun, EnrolmentStatus, Role
from catalogue.services import enrolments
from catalogue.services.run_admin import RunData, cancel_run, update_run
from catalogue.services.run_sessions import SessionData
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import token_for
from tests.enrolment.factories import Org, make_run, stored_enrolment, viewer
from tests.enrolment.operations import gid

S = EnrolmentStatus
#: 09:00 Danish winter time, a year ahead: a fixed clock, whatever the hour the tests run.
MONDAY = datetime(datetime.now(UTC).year + 1, 3, 1, 8, 0, tzinfo=UTC)


def _run(session: Session, *, days: int, hours: float = 6.5) -> CourseRun:
    """A run from MONDAY 09:00 local to the last day's closing time."""
    run = make_run(session, starts_in=timedelta(days=400))
    run.starts_at = MONDAY
    run.ends_at = MONDAY + timedelta(days=days - 1, hours=hours)
    session.flush()
    return run


def _sessions(session: Session, org: Org, run: CourseRun, items: list[SessionData]) -> None:
    update_run(session, actor=viewer(org.hr, Role.HR), run_id=run.id, data=RunData(sessions=items))
    session.flush()


def _day(day: int, title: str | None = None, **extra: Any) -> SessionData:
    start = MONDAY + timedelta(days=day)
    return SessionData(starts_at=start, ends_at=start + timedelta(hours=6), title=title, **extra)


def _get(client: TestClient, settings: Settings, org: Org, enrolment_id: int) -> httpx.Response:
    return client.get(
        f"/calendar/enrolments/{gid('Enrolment', enrolment_id)}.ics",
        headers={"Authorization": f"Bearer {token_for(settings, org.leader, Role.LEADER)}"},
    )


def _events(response: httpx.Response) -> list[Event]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    events: list[Event] = Calendar.from_ical(response.content).walk("VEVENT")
    return events


def test_calendar_url_is_the_global_id_and_serves_the_file(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = _run(session, days=1)
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)
    token = token_for(settings, org.leader, Role.LEADER)
    query = "query($id: ID!) { node(id: $id) { ... on Enrolment { id calendarUrl } } }"
    node = gql(client, query, {"id": gid("Enrolment", enrolment.id)}, token=token)["data"]["node"]

    assert node["calendarUrl"] == f"/calendar/enrolments/{node['id']}.ics"
    response = client.get(node["calendarUrl"], headers={"Authorization": f"Bearer {token}"})
    [event] = _events(response)
    assert str(event["summary"]) == run.course.title
    assert str(event["location"]) == "Rådhuset, Lyngby"
    assert str(event["status"]) == "CONFIRMED"


def test_a_run_with_sessions_gives_one_busy_event_per_session(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = _run(session, days=60)
    _sessions(
        session,
        org,
        run,
        [_day(0, "Modul 1"), _day(14), _day(28, "Modul 3", location="Campus Carlsberg")],
    )
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)

    events = _events(_get(client, settings, org, enrolment.id))

    assert len(events) == 3
    ids = [s.id for s in run.sessions]
    assert [str(e["uid"]) for e in events] == [
        f"enrolment-{enrolment.id}-session-{i}@kompetencekatalog.ltk" for i in ids
    ]
    assert [e.decoded("dtstart") for e in events] == [s.starts_at for s in run.sessions]
    assert [e.decoded("dtend") for e in events] == [s.ends_at for s in run.sessions]
    assert {str(e["transp"]) for e in events} == {"OPAQUE"}
    assert {str(e["status"]) for e in events} == {"CONFIRMED"}
    title = run.course.title
    assert [str(e["summary"]) for e in events] == [
        f"{title} (1/3: Modul 1)",
        f"{title} (2/3)",
        f"{title} (3/3: Modul 3)",
    ]
    assert [str(e["location"]) for e in events] == [
        "Rådhuset, Lyngby",
        "Rådhuset, Lyngby",
        "Campus Carlsberg",
    ]
    # Nothing spans the run: no event is longer than its session.
    assert all(e.decoded("dtend") - e.decoded("dtstart") == timedelta(hours=6) for e in events)


def test_a_moved_session_keeps_its_uid_so_a_reimport_updates_it(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = _run(session, days=10)
    _sessions(session, org, run, [_day(0), _day(7)])
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)
    before = {str(e["uid"]): e for e in _events(_get(client, settings, org, enrolment.id))}

    first, second = run.sessions
    moved = _day(8, "Flyttet", id=second.id)
    _sessions(session, org, run, [SessionData(first.starts_at, first.ends_at, id=first.id), moved])
    after = {str(e["uid"]): e for e in _events(_get(client, settings, org, enrolment.id))}

    assert set(after) == set(before)
    uid = f"enrolment-{enrolment.id}-session-{second.id}@kompetencekatalog.ltk"
    assert after[uid].decoded("dtstart") == MONDAY + timedelta(days=8)
    assert str(after[uid]["summary"]).endswith("(2/2: Flyttet)")


def test_a_long_run_without_sessions_is_its_first_and_last_day_all_day_and_free(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = _run(session, days=90)
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)

    first, last = _events(_get(client, settings, org, enrolment.id))

    start_day = MONDAY.date()
    end_day = start_day + timedelta(days=89)
    assert (first.decoded("dtstart"), first.decoded("dtend")) == (
        start_day,
        start_day + timedelta(days=1),
    )
    assert (last.decoded("dtstart"), last.decoded("dtend")) == (
        end_day,
        end_day + timedelta(days=1),
    )
    for event in (first, last):
        assert type(event.decoded("dtstart")) is date  # all-day, not a time
        assert str(event["transp"]) == "TRANSPARENT"
    assert str(first["summary"]) == f"Første dag: {run.course.title}"
    assert str(last["summary"]) == f"Sidste dag: {run.course.title}"
    assert str(first["uid"]) == f"enrolment-{enrolment.id}-first-day@kompetencekatalog.ltk"
    assert str(last["uid"]) == f"enrolment-{enrolment.id}-last-day@kompetencekatalog.ltk"


def test_the_all_day_entries_are_the_days_in_danish_time(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    """A run from 00:30 Danish time starts that day, though in UTC it is the day before."""
    run = _run(session, days=3)
    run.starts_at = MONDAY.replace(hour=0) - timedelta(minutes=30)  # 00:30 local on MONDAY
    session.flush()
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)
    first, _last = _events(_get(client, settings, org, enrolment.id))
    assert first.decoded("dtstart") == MONDAY.date()


def test_a_one_day_run_without_sessions_is_one_busy_event_with_the_old_uid(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = _run(session, days=1)
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)
    [event] = _events(_get(client, settings, org, enrolment.id))
    assert str(event["uid"]) == f"enrolment-{enrolment.id}@kompetencekatalog.ltk"
    assert event.decoded("dtstart") == run.starts_at
    assert event.decoded("dtend") == run.ends_at
    assert str(event["transp"]) == "OPAQUE"


@pytest.mark.parametrize("sessions", [True, False], ids=["sessions", "no sessions"])
def test_a_cancelled_run_cancels_every_entry_under_the_same_uids(
    client: TestClient, session: Session, settings: Settings, org: Org, sessions: bool
) -> None:
    run = _run(session, days=30)
    if sessions:
        _sessions(session, org, run, [_day(0), _day(7), _day(14)])
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)
    before = _events(_get(client, settings, org, enrolment.id))

    cancel_run(session, actor=viewer(org.hr, Role.HR), run_id=run.id, reason="For få tilmeldte")
    session.flush()
    after = _events(_get(client, settings, org, enrolment.id))

    assert [str(e["uid"]) for e in after] == [str(e["uid"]) for e in before]
    assert {str(e["status"]) for e in before} == {"CONFIRMED"}
    assert {str(e["status"]) for e in after} == {"CANCELLED"}


def test_a_session_removed_after_the_import_is_sent_cancelled_with_a_higher_sequence(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = _run(session, days=30)
    _sessions(session, org, run, [_day(0, "Modul 1"), _day(7, "Modul 2"), _day(14, "Modul 3")])
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)
    imported = {str(e["uid"]): e for e in _events(_get(client, settings, org, enrolment.id))}
    first, second, third = run.sessions

    keep = [SessionData(s.starts_at, s.ends_at, s.title, id=s.id) for s in (first, third)]
    _sessions(session, org, run, keep)
    after = {str(e["uid"]): e for e in _events(_get(client, settings, org, enrolment.id))}

    removed_uid = f"enrolment-{enrolment.id}-session-{second.id}@kompetencekatalog.ltk"
    assert set(after) == set(imported)  # nothing new, nothing dropped: the same UIDs
    gone = after[removed_uid]
    assert str(gone["status"]) == "CANCELLED"
    assert gone.decoded("sequence") > imported[removed_uid].decoded("sequence")
    assert gone.decoded("dtstart") == second.starts_at
    assert str(gone["transp"]) == "TRANSPARENT"
    assert str(gone["summary"]) == f"Aflyst: {run.course.title} (Modul 2)"
    live = [e for uid, e in after.items() if uid != removed_uid]
    assert {str(e["status"]) for e in live} == {"CONFIRMED"}
    # The live sessions are numbered among themselves, not among the removed.
    title = run.course.title
    assert sorted(str(e["summary"]) for e in live) == [
        f"{title} (1/2: Modul 1)",
        f"{title} (2/2: Modul 3)",
    ]
    # Unchanged sessions keep their SEQUENCE, so a calendar has nothing to take over.
    for uid, event in after.items():
        if uid != removed_uid:
            assert event.decoded("sequence") == imported[uid].decoded("sequence")


def test_a_moved_session_raises_its_sequence(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = _run(session, days=10)
    _sessions(session, org, run, [_day(0)])
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)
    [before] = _events(_get(client, settings, org, enrolment.id))
    _sessions(session, org, run, [_day(1, id=run.sessions[0].id)])
    [after] = _events(_get(client, settings, org, enrolment.id))
    assert str(after["uid"]) == str(before["uid"])
    assert after.decoded("sequence") == before.decoded("sequence") + 1


def test_removing_every_session_cancels_them_beside_the_first_and_last_day(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = _run(session, days=30)
    _sessions(session, org, run, [_day(0), _day(7)])
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)
    imported = [str(e["uid"]) for e in _events(_get(client, settings, org, enrolment.id))]

    _sessions(session, org, run, [])
    events = {str(e["uid"]): e for e in _events(_get(client, settings, org, enrolment.id))}

    assert {str(events[uid]["status"]) for uid in imported} == {"CANCELLED"}
    day_uids = {
        f"enrolment-{enrolment.id}-{role}@kompetencekatalog.ltk"
        for role in ("first-day", "last-day")
    }
    assert set(events) == set(imported) | day_uids
    assert {str(events[uid]["status"]) for uid in day_uids} == {"CONFIRMED"}


def test_a_session_removed_before_the_leader_enrolled_is_not_in_the_file(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    """Its UID names the enrolment, so no calendar can have it: nothing to cancel."""
    run = _run(session, days=30)
    _sessions(session, org, run, [_day(0), _day(7)])
    first, _second = run.sessions
    _sessions(session, org, run, [SessionData(first.starts_at, first.ends_at, id=first.id)])
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)
    [event] = _events(_get(client, settings, org, enrolment.id))
    assert str(event["uid"]) == f"enrolment-{enrolment.id}-session-{first.id}@kompetencekatalog.ltk"
    assert str(event["status"]) == "CONFIRMED"


def test_a_cancellation_outranks_the_entries_it_cancels(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = _run(session, days=30)
    _sessions(session, org, run, [_day(0), _day(7)])
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)
    before = {
        str(e["uid"]): e.decoded("sequence")
        for e in _events(_get(client, settings, org, enrolment.id))
    }
    enrolments.withdraw(session, actor=viewer(org.leader, Role.LEADER), enrolment_id=enrolment.id)
    session.flush()
    after = {
        str(e["uid"]): e.decoded("sequence")
        for e in _events(_get(client, settings, org, enrolment.id))
    }
    assert set(after) == set(before)
    assert all(after[uid] > before[uid] for uid in before)


def test_a_withdrawn_enrolment_cancels_its_entries(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = _run(session, days=30)
    _sessions(session, org, run, [_day(0), _day(7)])
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)
    before = [str(e["uid"]) for e in _events(_get(client, settings, org, enrolment.id))]
    enrolments.withdraw(session, actor=viewer(org.leader, Role.LEADER), enrolment_id=enrolment.id)
    session.flush()
    after = _events(_get(client, settings, org, enrolment.id))
    assert [str(e["uid"]) for e in after] == before
    assert {str(e["status"]) for e in after} == {"CANCELLED"}


def test_a_waitlisted_enrolment_is_tentative_in_the_calendar(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    enrolment = stored_enrolment(session, _run(session, days=1), org.leader, S.WAITLISTED)
    response = client.get(
        f"/calendar/enrolments/{gid('Enrolment', enrolment.id)}.ics",
        headers={"Authorization": f"Bearer {token_for(settings, org.chef, Role.CHEF)}"},
    )
    [event] = _events(response)
    assert str(event["status"]) == "TENTATIVE"


# --- refusals: one shape, in Danish ----------------------------------------------------------


def _refusal(response: httpx.Response, status: int, code: str) -> str:
    """The one error shape every calendar refusal has; its message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"errors"}, body
    [error] = body["errors"]
    assert set(error) == {"message", "extensions"}
    assert error["extensions"] == {"code": code}
    message: str = error["message"]
    return message


def test_the_calendar_file_follows_the_token_rules(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    enrolment = stored_enrolment(session, _run(session, days=1), org.leader, S.ENROLLED)
    url = f"/calendar/enrolments/{gid('Enrolment', enrolment.id)}.ics"

    def answer(token: str | None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.get(url, headers=headers)

    assert "Bearer-token" in _refusal(answer(None), 401, "UNAUTHENTICATED")
    _refusal(answer("not-a-token"), 401, "UNAUTHENTICATED")
    assert answer(token_for(settings, org.leader, Role.LEADER)).status_code == 200
    assert answer(token_for(settings, org.hr, Role.HR)).status_code == 200


def test_someone_elses_calendar_file_is_answered_as_if_it_did_not_exist(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    enrolment = stored_enrolment(session, _run(session, days=1), org.leader, S.ENROLLED)

    def answer(enrolment_id: int, token: str) -> httpx.Response:
        return client.get(
            f"/calendar/enrolments/{gid('Enrolment', enrolment_id)}.ics",
            headers={"Authorization": f"Bearer {token}"},
        )

    for who, role in [(org.peer, Role.LEADER), (org.other_chef, Role.CHEF)]:
        token = token_for(settings, who, role)
        missing = answer(999999999, token)
        assert _refusal(missing, 404, "NOT_FOUND") == "Tilmeldingen findes ikke."
        assert answer(enrolment.id, token).json() == missing.json()


BAD_IDS = {
    "a plain number": "17",
    "the id of another type": to_base64("CourseRun", 1),
    "a number past 64 bits": to_base64("Enrolment", 99999999999999999999),
    "not base64": "%%%",
    "huge": "A" * 5000,
    "a NUL character": "RW5yb2xtZW50OjE%00",
    "letters for the number": to_base64("Enrolment", "abc"),
}


@pytest.mark.parametrize("enrolment_id", BAD_IDS.values(), ids=BAD_IDS.keys())
def test_an_id_that_is_no_enrolment_is_a_400_in_danish_naming_the_path(
    client: TestClient, session: Session, settings: Settings, org: Org, enrolment_id: str
) -> None:
    response = client.get(
        f"/calendar/enrolments/{enrolment_id}.ics",
        headers={"Authorization": f"Bearer {token_for(settings, org.hr, Role.HR)}"},
    )
    message = _refusal(response, 400, "BAD_REQUEST")
    assert message.startswith("Kalenderstien /calendar/enrolments/<id>.ics: ")
    assert "calendarUrl" in message
    assert "\x00" not in message
    assert len(message) < 300


def test_other_calendar_paths_and_methods_are_refused_in_the_same_shape(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    headers = {"Authorization": f"Bearer {token_for(settings, org.hr, Role.HR)}"}
    assert _refusal(client.get("/calendar/enrolments/1", headers=headers), 404, "NOT_FOUND") == (
        "Adressen findes ikke."
    )
    _refusal(client.get("/calendar/", headers=headers), 404, "NOT_FOUND")
    refused = client.post(f"/calendar/enrolments/{gid('Enrolment', 1)}.ics", headers=headers)
    assert _refusal(refused, 405, "METHOD_NOT_ALLOWED") == "Metoden er ikke tilladt her."
    assert refused.headers["allow"] == "GET"


def test_a_fault_while_writing_the_file_is_a_500_in_the_same_shape_with_the_request_id(
    client: TestClient,
    session: Session,
    settings: Settings,
    org: Org,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fault (here injected: nothing real fails on demand) is masked, not a {"detail"} page."""
    enrolment = stored_enrolment(session, _run(session, days=1), org.leader, S.ENROLLED)

    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("catalogue.calendar_routes.enrolment_calendar", broken)
    response = _get(client, settings, org, enrolment.id)
    assert response.status_code == 500
    body = response.json()
    assert set(body) == {"errors"}
    [error] = body["errors"]
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    assert "disk on fire" not in response.text
