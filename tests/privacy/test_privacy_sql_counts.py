"""The export and the erasure take a fixed number of statements, however much a person has."""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from catalogue.models import Person, Role
from catalogue.services import enrolments
from catalogue.services.privacy.areas import AREAS, _keep
from catalogue.services.privacy.erasure import erase_person
from catalogue.services.privacy.export import export_person_data
from tests.api.test_sql_counts import counted_statements
from tests.enrolment.factories import Org, make_run, new_leader, viewer

# Each area's statements (one per table it reads or changes; most areas one) plus a fixed
# few: the export's person and audit entry, the erasure's lock, its four open-obligation
# queries and its audit entry. An area added for a new table adds its own statements.
EXPORT_BOUND = sum(area.statements for area in AREAS) + 4
ERASURE_BOUND = sum(area.statements for area in AREAS if area.erase is not _keep) + 8


def _leader_with_enrolments(session: Session, org: Org, how_many: int) -> Person:
    leader = new_leader(session, org.chef, f"Flittig {how_many}")
    for _ in range(how_many):
        run = make_run(session)
        enrolment = enrolments.enrol(
            session,
            actor=viewer(leader),
            course_run_id=run.id,
            motivation="Fordi",
            focus_statement_keys=["K1.1", "K2.1"],
        )
        enrolments.withdraw(session, actor=viewer(leader), enrolment_id=enrolment.id)
    session.flush()
    session.expire_all()
    return leader


def _statements(
    connection: Connection, session: Session, org: Org, how_many: int
) -> tuple[int, int]:
    leader = _leader_with_enrolments(session, org, how_many)
    admin = viewer(org.admin, Role.ADMIN)
    with counted_statements(connection) as exported:
        export_person_data(session, actor=admin, person_id=leader.id)
        session.flush()
    with counted_statements(connection) as erased:
        erase_person(session, actor=admin, person_id=leader.id)
        session.flush()
    return len(exported), len(erased)


def test_export_and_erasure_do_not_grow_with_the_persons_history(
    connection: Connection, session: Session, org: Org
) -> None:
    one = _statements(connection, session, org, 1)
    eight = _statements(connection, session, org, 8)
    assert eight == one, (one, eight)
    print(f"\nstatements: export {one[0]}, erasure {one[1]}")
    exported, erased = one
    assert exported <= EXPORT_BOUND
    assert erased <= ERASURE_BOUND
