"""The simulator's core_competency_* answer like Moodle where the connector cannot show it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.fakes.moodle import MoodleSimulator


@pytest.fixture(autouse=True)
def _debugging_on(sim: MoodleSimulator) -> None:
    """These read Moodle's debuginfo, which a site sends only with debugging on."""
    sim.service.debug = True


ENDPOINT = "http://moodle.test/webservice/rest/server.php"


def _call(
    sim: MoodleSimulator, client: httpx.Client, function: str, *pairs: tuple[str, str]
) -> Any:
    head = [
        ("wstoken", sim.service.token),
        ("wsfunction", function),
        ("moodlewsrestformat", "json"),
    ]
    response = client.post(
        ENDPOINT,
        content=urlencode([*head, *pairs]).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, "Moodle reports errors with HTTP 200"
    return response.json()


def _framework(*extra: tuple[str, str], idnumber: str = "F1") -> list[tuple[str, str]]:
    return [
        ("competencyframework[shortname]", "Ramme"),
        ("competencyframework[idnumber]", idnumber),
        ("competencyframework[scaleid]", "2"),
        (
            "competencyframework[scaleconfiguration]",
            '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0},'
            '{"id":2,"scaledefault":0,"proficient":1}]',
        ),
        *extra,
    ]


SYSTEM = (("competencyframework[contextlevel]", "system"), ("competencyframework[instanceid]", "0"))


def test_listing_frameworks_needs_a_context(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    missing = _call(sim, http_client, "core_competency_list_competency_frameworks")
    assert missing["errorcode"] == "invalidparameter"
    assert missing["debuginfo"] == "Missing required key in single structure: context"

    empty = _call(
        sim, http_client, "core_competency_list_competency_frameworks", ("context[instanceid]", "0")
    )
    assert empty["debuginfo"] == (
        "Missing parameters, please provide either context level with instance id, or context id"
    )
    listed = _call(
        sim,
        http_client,
        "core_competency_list_competency_frameworks",
        ("context[contextlevel]", "system"),
    )
    assert listed == []


def test_creating_a_framework_without_an_instance_id_is_missing_parameters(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    body = _call(
        sim,
        http_client,
        "core_competency_create_competency_framework",
        *_framework(("competencyframework[contextlevel]", "system")),
    )
    assert body["errorcode"] == "invalidparameter"
    assert body["debuginfo"].startswith("Missing parameters")
    assert sim.competency_frameworks == {}


def test_a_framework_lives_in_the_system_or_a_category_and_is_exported_like_moodle(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    category = sim.add_category("Ledelse og HR")
    in_category = _call(
        sim,
        http_client,
        "core_competency_create_competency_framework",
        *_framework(
            ("competencyframework[contextlevel]", "coursecat"),
            ("competencyframework[instanceid]", str(category)),
        ),
    )
    assert in_category["contextname"] == "Category: Ledelse og HR"
    assert set(in_category) == {
        "shortname",
        "idnumber",
        "description",
        "descriptionformat",
        "visible",
        "scaleid",
        "scaleconfiguration",
        "contextid",
        "taxonomies",
        "id",
        "timecreated",
        "timemodified",
        "usermodified",
        "canmanage",
        "competenciescount",
        "contextname",
        "contextnamenoprefix",
    }
    in_course = _call(
        sim,
        http_client,
        "core_competency_create_competency_framework",
        *_framework(
            ("competencyframework[contextlevel]", "course"),
            ("competencyframework[instanceid]", "1"),
            idnumber="F2",
        ),
    )
    assert in_course["errorcode"] == "invalidpersistenterror"
    assert in_course["message"] == "Error: Invalid context"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            (("competencyframework[scaleconfiguration]", '[{"scaleid":"2"}]'),),
            "Error: You must configure the scale by selecting default and proficient values.",
        ),
        (
            (("competencyframework[taxonomies]", "domain,kompetence"),),
            "Error: Invalid taxonomy: kompetence",
        ),
    ],
    ids=["scale-configuration", "taxonomy"],
)
def test_the_persistent_validates_the_framework(
    sim: MoodleSimulator,
    http_client: httpx.Client,
    extra: tuple[tuple[str, str], ...],
    message: str,
) -> None:
    pairs = dict(_framework(*SYSTEM))
    pairs.update(extra)
    body = _call(sim, http_client, "core_competency_create_competency_framework", *pairs.items())
    assert body["exception"] == "core\\invalid_persistent_exception"
    assert body["errorcode"] == "invalidpersistenterror"
    assert body["message"] == message


def test_a_duplicate_idnumber_names_the_field_in_debuginfo(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    framework = sim.add_competency_framework("Ramme", "F1")
    sim.add_competency(framework, "A", "K1")
    body = _call(
        sim,
        http_client,
        "core_competency_create_competency",
        ("competency[shortname]", "B"),
        ("competency[idnumber]", "K1"),
        ("competency[competencyframeworkid]", str(framework)),
    )
    assert body["message"] == "Error: This ID number is already in use"
    assert body["debuginfo"] == "idnumber: This ID number is already in use"


def test_a_name_longer_than_its_column_is_a_database_error(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    framework = sim.add_competency_framework("Ramme", "F1")
    body = _call(
        sim,
        http_client,
        "core_competency_create_competency",
        ("competency[shortname]", "æ" * 101),
        ("competency[idnumber]", "K1"),
        ("competency[competencyframeworkid]", str(framework)),
    )
    assert (body["exception"], body["errorcode"]) == ("dml_write_exception", "dmlwriteexception")
    assert sim.competencies == {}
    exactly = _call(
        sim,
        http_client,
        "core_competency_create_competency",
        ("competency[shortname]", "æ" * 100),
        ("competency[idnumber]", "K1"),
        ("competency[competencyframeworkid]", str(framework)),
    )
    assert exactly["shortname"] == "æ" * 100, "the limit counts characters, not bytes"


def test_names_lose_their_tags_and_descriptions_are_purified(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    framework = sim.add_competency_framework("Ramme", "F1")
    body = _call(
        sim,
        http_client,
        "core_competency_create_competency",
        ("competency[shortname]", "Lede <b>teams</b> & netværk &lt;3"),
        ("competency[idnumber]", "K1"),
        ("competency[description]", "<p>Tal & tekst</p><script>alert(1)</script>"),
        ("competency[competencyframeworkid]", str(framework)),
    )
    assert body["shortname"] == "Lede teams &amp; netværk &lt;3"
    assert body["description"] == "<p>Tal &amp; tekst</p>"
    (stored,) = sim.competencies.values()
    assert stored.shortname == "Lede teams & netværk &lt;3"


def test_listing_competencies_needs_a_valid_filter(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    no_filter = _call(sim, http_client, "core_competency_list_competencies")
    assert no_filter["debuginfo"] == "Missing required key in single structure: filters"
    bad_column = _call(
        sim,
        http_client,
        "core_competency_list_competencies",
        ("filters[0][column]", "path"),
        ("filters[0][value]", "/0/"),
    )
    assert (bad_column["errorcode"], bad_column["debuginfo"]) == (
        "invalidparameter",
        "Filter column was invalid",
    )
    unknown = _call(
        sim,
        http_client,
        "core_competency_list_competencies",
        ("filters[0][column]", "competencyframeworkid"),
        ("filters[0][value]", "404"),
    )
    assert unknown["errorcode"] == "invalidrecord"
    assert unknown["message"] == "Can't find data record in database table competency_framework."


def test_a_course_competency_is_exported_with_its_link(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    course = sim.add_course("Konflikthåndtering")
    framework = sim.add_competency_framework("Ramme", "F1")
    competency = sim.add_competency(framework, "Konflikter", "K1.5")
    assert (
        _call(
            sim,
            http_client,
            "core_competency_add_competency_to_course",
            ("courseid", str(course)),
            ("competencyid", str(competency)),
        )
        is True
    )

    (row,) = _call(
        sim, http_client, "core_competency_list_course_competencies", ("id", str(course))
    )

    assert row["competency"]["idnumber"] == "K1.5"
    assert row["competency"]["competencyframeworkid"] == framework
    assert {k: row["coursecompetency"][k] for k in ("courseid", "competencyid", "sortorder")} == {
        "courseid": course,
        "competencyid": competency,
        "sortorder": 0,
    }
    assert row["coursecompetency"]["ruleoutcome"] == 1
