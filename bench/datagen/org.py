"""Municipalities as organisation trees: direction, centres, areas, each with a chef.

Every unit has a head (a leader who is also chef) reporting to the head of the
parent unit; the remaining leaders run institutions in the areas and report to
the area's chef. That gives the chef hierarchy ``myTeam`` and the enrolment
rules walk, at realistic depth (4 levels) and fan-out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bench.datagen import texts
from bench.datagen.copy import Connection, copy_rows, next_id

UNIT_COLUMNS = ("id", "key", "name", "parent_id", "created_at", "updated_at")
PERSON_COLUMNS = (
    "id", "email", "name", "title", "org_unit_id", "manager_id", "lms_user_id", "is_leader",
    "is_chef", "is_hr", "is_lms", "is_admin", "active", "created_at", "updated_at",
)  # fmt: skip
LMS_USER_OFFSET = 1_000_000
ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


@dataclass
class People:
    leader_ids: list[int] = field(default_factory=list)
    chef_ids: list[int] = field(default_factory=list)


def _shape(municipalities: int) -> tuple[int, int]:
    """Centres per municipality and areas per centre: one big municipality is wider."""
    return (8, 10) if municipalities == 1 else (5, 6)


def generate_people(
    connection: Connection, rng: random.Random, *, municipalities: int, leaders: int, now: datetime
) -> People:
    unit_id = next_id(connection, "org_unit")
    person_id = next_id(connection, "person")
    units: list[tuple[object, ...]] = []
    persons: list[tuple[object, ...]] = []
    people = People()
    centres, areas = _shape(municipalities)
    per_municipality = [leaders // municipalities] * municipalities
    for m in range(leaders % municipalities):
        per_municipality[m] += 1
    stamp = now - timedelta(days=900)

    def add_person(unit: int, manager: int | None, title: str, *, chef: bool, m: int) -> int:
        nonlocal person_id
        pid = person_id
        person_id += 1
        first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
        email = f"{first.lower()}.{last.lower()}.{pid}@k{m + 1:02d}.bench.example"
        email = email.translate(ASCII)
        lms_user = str(LMS_USER_OFFSET + pid) if rng.random() < 0.97 else None
        active = rng.random() < 0.98 or chef
        persons.append(
            (
                pid,
                email,
                f"{first} {last}",
                title,
                unit,
                manager,
                lms_user,
                True,
                chef,
                False,
                False,
                False,
                active,
                stamp,
                stamp,
            )
        )
        (people.chef_ids if chef else people.leader_ids).append(pid)
        return pid

    def add_unit(key: str, name: str, parent: int | None) -> int:
        nonlocal unit_id
        uid = unit_id
        unit_id += 1
        units.append((uid, key, name, parent, stamp, stamp))
        return uid

    for m, budget in enumerate(per_municipality):
        root = add_unit(f"BK{m + 1:02d}", f"Kommune {m + 1:02d}: Direktionen", None)
        director = add_person(root, None, "Kommunaldirektør", chef=True, m=m)
        area_heads: list[tuple[int, int]] = []
        for c in range(centres):
            centre = add_unit(f"BK{m + 1:02d}-C{c + 1}", texts.CENTRES[c % 8], root)
            centre_chef = add_person(centre, director, "Centerchef", chef=True, m=m)
            for a in range(areas):
                area = add_unit(
                    f"BK{m + 1:02d}-C{c + 1}-A{a + 1}",
                    texts.AREAS[(c * areas + a) % len(texts.AREAS)],
                    centre,
                )
                area_heads.append(
                    (area, add_person(area, centre_chef, "Områdechef", chef=True, m=m))
                )
        for n in range(max(budget - 1 - centres - centres * areas, 0)):
            area, chef = area_heads[n % len(area_heads)]
            add_person(area, chef, rng.choice(texts.LEADER_TITLES), chef=False, m=m)
    copy_rows(connection, "org_unit", UNIT_COLUMNS, units)
    copy_rows(connection, "person", PERSON_COLUMNS, persons)
    return people
