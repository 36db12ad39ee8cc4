"""Importing an HR file: all or nothing, rows and columns named, twice is once, leavers leave."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import AuditLogEntry, EnrolmentStatus, OrgUnit, Person, Role
from catalogue.models.base import utcnow
from catalogue.people_files import PeopleFileError, rows
from catalogue.services.errors import DomainValidationError
from catalogue.services.managers import manager_at
from catalogue.services.people_import import import_people
from tests.enrolment.factories import make_run, stored_enrolment

HEADER = "Medarbejdernummer;E-mail;Navn;Titel;Enhed;Leder;Roller"


class Org:
    """One import's cast, with a tag so runs on the shared test database never meet."""

    def __init__(self) -> None:
        self.tag = uuid.uuid4().hex[:6].upper()

    def number(self, n: int) -> str:
        return f"{self.tag}-{n}"

    def email(self, name: str) -> str:
        return f"{name}.{self.tag.lower()}@ltk.example"

    def unit(self, key: str) -> str:
        return f"{key}{self.tag}"

    def lines(self, *rows: str) -> str:
        return "\n".join([HEADER, *rows]) + "\n"

    def standard(self, *, chef_title: str = "Centerchef", school: str = "Center for Skole") -> str:
        d, s, ly = self.unit("D"), self.unit("S"), self.unit("L")
        return self.lines(
            f"{self.number(1)};{self.email('anne')};Anne Direktør;Direktør;{d}=Direktionen;;CHEF",
            f"{self.number(2)};{self.email('mette')};Mette Kjærgaard;{chef_title};"
            f"{d}=Direktionen/{s}={school};{self.number(1)};CHEF,LEADER",
            f"{self.number(3)};{self.email('sofie')};Sofie Nørgaard;Skoleleder;"
            f"{d}/{s}/{ly}=Lyngby Skole;{self.email('mette')};LEADER",
        )


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "hr.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(session: Session, path: Path, *, dry_run: bool = False):  # type: ignore[no-untyped-def]
    return import_people(session, lambda: rows(path), now=utcnow(), dry_run=dry_run)


def state(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Person)) or 0,
        session.scalar(select(func.count()).select_from(OrgUnit)) or 0,
        session.scalar(select(func.count()).select_from(AuditLogEntry)) or 0,
    )


def by_number(session: Session, number: str) -> Person:
    person = session.scalar(select(Person).where(Person.employee_number == number))
    assert person is not None, number
    return person


@pytest.fixture
def org() -> Org:
    return Org()


def test_an_import_creates_people_units_managers_and_roles_and_twice_is_once(
    session: Session, tmp_path: Path, org: Org
) -> None:
    path = write(tmp_path, org.standard())
    first = run(session, path)
    assert len(first.created) == 3
    assert first.units_created == [org.unit("D"), org.unit("S"), org.unit("L")]
    mette, sofie = by_number(session, org.number(2)), by_number(session, org.number(3))
    assert mette.name == "Mette Kjærgaard"
    assert mette.roles == frozenset({Role.CHEF, Role.LEADER})
    assert sofie.manager_id == mette.id
    assert mette.manager_id == by_number(session, org.number(1)).id
    school = session.scalar(select(OrgUnit).where(OrgUnit.key == org.unit("L")))
    assert school is not None
    assert school.name == "Lyngby Skole"
    assert sofie.org_unit_id == school.id

    before = state(session)
    second = run(session, path)
    assert (second.created, second.changed, second.deactivated) == ([], [], [])
    assert second.unchanged == 3
    assert state(session) == before


def test_a_dry_run_reports_the_changes_and_writes_nothing(
    session: Session, tmp_path: Path, org: Org
) -> None:
    run(session, write(tmp_path, org.standard()))
    before = state(session)
    changed = write(
        tmp_path, org.standard(chef_title="Skolechef", school="Center for Læring"), name="v2.csv"
    )
    preview = run(session, changed, dry_run=True)
    assert preview.changed == [org.email("mette")]
    assert preview.units_changed == [org.unit("S")]
    assert state(session) == before
    assert by_number(session, org.number(2)).title == "Centerchef"
    assert "ville blive" in preview.lines(dry_run=True)[0]


def test_renames_moves_and_a_new_manager_are_applied_with_history(
    session: Session, tmp_path: Path, org: Org
) -> None:
    run(session, write(tmp_path, org.standard()))
    start = utcnow()
    d, s, ly = org.unit("D"), org.unit("S"), org.unit("L")
    moved = org.lines(
        f"{org.number(1)};{org.email('anne')};Anne Direktør;Direktør;{d}=Direktionen;;CHEF",
        f"{org.number(2)};{org.email('mette')};Mette Kjærgaard;Centerchef;{d}/{s}=Skole og Læring;"
        f"{org.number(1)};CHEF,LEADER",
        # The school moves up under the directorate; Sofie now reports to Anne.
        f"{org.number(3)};{org.email('sofie')};Sofie Nørgaard;Skoleleder;{d}/{ly};"
        f"{org.number(1)};LEADER",
    )
    result = run(session, write(tmp_path, moved, name="moved.csv"))
    assert org.email("sofie") in result.changed
    school = session.scalar(select(OrgUnit).where(OrgUnit.key == ly))
    directorate = session.scalar(select(OrgUnit).where(OrgUnit.key == d))
    assert school is not None
    assert directorate is not None
    assert school.parent_id == directorate.id
    sofie, anne = by_number(session, org.number(3)), by_number(session, org.number(1))
    assert sofie.manager_id == anne.id
    assert manager_at(session, sofie.id, start) == by_number(session, org.number(2)).id


def test_people_missing_from_the_file_are_leavers(
    session: Session, tmp_path: Path, org: Org
) -> None:
    run(session, write(tmp_path, org.standard()))
    sofie = by_number(session, org.number(3))
    run_ = make_run(session, capacity=3)
    place = stored_enrolment(session, run_, sofie, EnrolmentStatus.ENROLLED)
    d = org.unit("D")
    without_sofie = org.lines(
        f"{org.number(1)};{org.email('anne')};Anne Direktør;Direktør;{d}=Direktionen;;CHEF",
        f"{org.number(2)};{org.email('mette')};Mette Kjærgaard;Centerchef;{d}/{org.unit('S')};"
        f"{org.number(1)};CHEF,LEADER",
    )
    result = run(session, write(tmp_path, without_sofie, name="v2.csv"))
    assert org.email("sofie") in result.deactivated
    assert not sofie.active
    assert place.status is EnrolmentStatus.WITHDRAWN
    # Back in the next file: active again.
    back = run(session, write(tmp_path, org.standard(), name="v3.csv"))
    assert org.email("sofie") in back.changed
    assert sofie.active


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("{n4};{e4};Ny\x00Person;;;;", ["række 5", "'navn'", "styretegn"]),
        ("{n4};ikke-en-mail;Ny Person;;;;", ["række 5", "'e-mail'"]),
        ("{n4};{e4};Ny Person;;;ukendt.leder@ltk.example;", ["række 5", "'leder'", "findes ikke"]),
        ("{n4};{e4};Ny Person;;;;PRINS", ["række 5", "'roller'", "PRINS"]),
        ("{n4};{e4};Ny Person;;UKENDTENHED;;", ["'enhed'", "findes ikke"]),
        ("{n1};{e4};Ny Person;;;;", ["række 5", "'medarbejdernummer'", "række 2"]),
        ("{n4};{e1};Ny Person;;;;", ["række 5", "'e-mail'", "række 2"]),
        (";{e4};Ny Person;;;;", ["række 5", "'medarbejdernummer'"]),
        ("{n4};{e4};{huge};;;;", ["række 5", "'navn'", "højst være 200"]),
        ("{n4};{e4};Ny Person;;;;;ekstra", ["række 5", "felter"]),
    ],
)
def test_a_malformed_row_is_named_and_nothing_is_written(
    session: Session, tmp_path: Path, org: Org, row: str, expected: list[str]
) -> None:
    before = state(session)
    text = (
        org.standard()
        + row.format(
            n1=org.number(1),
            n4=org.number(4),
            e1=org.email("anne"),
            e4=org.email("ny"),
            huge="x" * 50_000,
        )
        + "\n"
    )
    with pytest.raises(DomainValidationError) as caught:
        run(session, write(tmp_path, text))
    message = " | ".join(error.message for error in caught.value.errors)
    for part in expected:
        assert part in message
    assert state(session) == before


def test_a_manager_loop_in_the_file_is_refused(session: Session, tmp_path: Path, org: Org) -> None:
    before = state(session)
    text = org.lines(
        f"{org.number(1)};{org.email('a')};A;;;{org.number(2)};",
        f"{org.number(2)};{org.email('b')};B;;;{org.number(1)};",
    )
    with pytest.raises(DomainValidationError) as caught:
        run(session, write(tmp_path, text))
    assert "løkke" in caught.value.errors[0].message
    assert state(session) == before


def test_two_people_may_swap_places_in_one_file(session: Session, tmp_path: Path, org: Org) -> None:
    first = org.lines(
        f"{org.number(1)};{org.email('a')};A;;;;",
        f"{org.number(2)};{org.email('b')};B;;;{org.number(1)};",
    )
    run(session, write(tmp_path, first))
    swapped = org.lines(
        f"{org.number(1)};{org.email('a')};A;;;{org.number(2)};",
        f"{org.number(2)};{org.email('b')};B;;;;",
    )
    run(session, write(tmp_path, swapped, name="swap.csv"))
    assert by_number(session, org.number(1)).manager_id == by_number(session, org.number(2)).id
    assert by_number(session, org.number(2)).manager_id is None


def test_a_file_in_another_encoding_is_named_with_its_line(
    session: Session, tmp_path: Path, org: Org
) -> None:
    before = state(session)
    path = write(tmp_path, org.standard(), encoding="cp1252")
    with pytest.raises(PeopleFileError) as caught:
        run(session, path)
    assert "ikke UTF-8" in caught.value.message
    assert "linje 2" in caught.value.message
    assert "CSV UTF-8" in caught.value.message
    assert state(session) == before


def test_a_header_without_the_required_columns_is_refused(session: Session, tmp_path: Path) -> None:
    with pytest.raises(DomainValidationError) as caught:
        run(session, write(tmp_path, "Navn;Skostørrelse\nA;42\n"))
    messages = [e.message for e in caught.value.errors]
    assert any("Skostørrelse" in m for m in messages)
    assert any("'medarbejdernummer'" in m and "mangler" in m for m in messages)


def test_comma_separated_csv_with_a_bom_and_xlsx_read_the_same(
    session: Session, tmp_path: Path, org: Org
) -> None:
    text = org.standard()
    comma = write(tmp_path, "\ufeff" + text.replace(";", ","), name="comma.csv")
    # Roles hold a comma: quote them as Excel does.
    comma.write_text(
        "\ufeff"
        + "\n".join(",".join(f'"{cell}"' for cell in line.split(";")) for line in text.splitlines())
        + "\n",
        encoding="utf-8",
    )
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for line in text.splitlines():
        sheet.append([int(c) if c.isdigit() else c for c in line.split(";")])
    xlsx = tmp_path / "hr.xlsx"
    workbook.save(xlsx)
    assert list(rows(comma)) == list(rows(write(tmp_path, text)))
    assert [r[:3] for r in rows(xlsx)] == [r[:3] for r in rows(write(tmp_path, text))]
    created = run(session, xlsx)
    assert len(created.created) == 3
    assert run(session, comma).unchanged == 3


def test_without_a_roles_column_roles_stay_and_role_changes_are_audited(
    session: Session, tmp_path: Path, org: Org
) -> None:
    run(session, write(tmp_path, org.standard()))
    mette = by_number(session, org.number(2))
    entries = session.scalars(
        select(AuditLogEntry.to_state).where(
            AuditLogEntry.person_id == mette.id, AuditLogEntry.action == "PERSON_ROLES_CHANGED"
        )
    ).all()
    assert entries == ["CHEF,LEADER"]
    no_roles = "\n".join(
        ";".join(line.split(";")[:6]) for line in org.standard().splitlines()
    ).replace(";Roller", "")
    result = run(session, write(tmp_path, no_roles + "\n", name="uden-roller.csv"))
    assert result.changed == []
    assert mette.roles == frozenset({Role.CHEF, Role.LEADER})
