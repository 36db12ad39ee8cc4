"""The connector's core_competency_* calls against the simulator: shapes, paging, errors."""

from __future__ import annotations

import json

import pytest

from tests.fakes.moodle import MoodleSimulator
from workers.lms.errors import (
    LmsAuthError,
    LmsNotFoundError,
    LmsPermanentError,
)
from workers.lms.moodle import MoodleConnector, scale_configuration
from workers.lms.protocol import LmsScale

STATEMENT = "Kunne håndtere konflikter på en fremadrettet og løsningsorienteret måde"
QUOTED = "Forstå og agere i den ”politiske” organisation – også når det er svært"


@pytest.fixture
def framework(connector: MoodleConnector) -> int:
    return connector.create_competency_framework(
        idnumber="LTK-LEDER-V1",
        shortname="Kompetenceprofil for ledere i Lyngby-Taarbæk Kommune",
        description="<p>Syv kompetencefelter.</p>",
        scale=LmsScale(2),
        taxonomies=("domain", "competency"),
    ).id


def test_create_framework_sends_php_arrays_in_the_system_context(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    created = connector.create_competency_framework(
        idnumber="LTK-LEDER-V1",
        shortname="Kompetenceprofil for ledere",
        description="<p>Syv felter &amp; 39 udsagn.</p>",
        scale=LmsScale(2),
        taxonomies=("domain", "competency"),
    )

    (call,) = sim.calls_to("core_competency_create_competency_framework")
    pairs = dict(call.pairs)
    assert pairs["competencyframework[idnumber]"] == "LTK-LEDER-V1"
    assert pairs["competencyframework[descriptionformat]"] == "1"
    assert pairs["competencyframework[visible]"] == "1"
    assert pairs["competencyframework[contextlevel]"] == "system"
    assert pairs["competencyframework[instanceid]"] == "0"
    assert pairs["competencyframework[taxonomies]"] == "domain,competency"
    assert json.loads(pairs["competencyframework[scaleconfiguration]"]) == [
        {"scaleid": "2"},
        {"id": 1, "scaledefault": 1, "proficient": 0},
        {"id": 2, "scaledefault": 0, "proficient": 1},
    ]
    assert (created.idnumber, created.shortname, created.visible) == (
        "LTK-LEDER-V1",
        "Kompetenceprofil for ledere",
        True,
    )
    assert created.description == "<p>Syv felter &amp; 39 udsagn.</p>"
    assert (created.scale_id, created.context_id, created.competency_count) == (2, 1, 0)


def test_a_second_framework_with_the_same_idnumber_is_refused(
    connector: MoodleConnector, framework: int
) -> None:
    with pytest.raises(LmsPermanentError) as raised:
        connector.create_competency_framework(
            idnumber="LTK-LEDER-V1", shortname="Igen", description="", scale=LmsScale(2)
        )
    assert raised.value.errorcode == "invalidpersistenterror"
    assert "This ID number is already in use" in str(raised.value)


def test_an_unknown_scale_is_refused_by_the_framework(connector: MoodleConnector) -> None:
    with pytest.raises(LmsPermanentError) as raised:
        connector.create_competency_framework(
            idnumber="X", shortname="X", description="", scale=LmsScale(99)
        )
    assert raised.value.errorcode == "invalidpersistenterror"
    assert "Invalid scale ID" in str(raised.value)


def test_frameworks_are_found_by_query_and_paged(sim: MoodleSimulator) -> None:
    for version in range(1, 6):
        sim.add_competency_framework(f"Profil {version}", f"LTK-LEDER-V{version}")
    sim.add_competency_framework("Skolens egne", "SKOLE")
    with sim.client() as client:
        small = MoodleConnector(sim.service.site_url, sim.service.token, client=client, page_size=2)
        found = small.competency_frameworks(query="ltk-leder")

    assert [f.idnumber for f in found] == [f"LTK-LEDER-V{n}" for n in range(1, 6)]
    calls = sim.calls_to("core_competency_list_competency_frameworks")
    assert [call.params["skip"] for call in calls] == ["0", "2", "4"]
    assert calls[0].params["context"] == {"contextlevel": "system", "instanceid": "0"}


def test_competencies_form_a_tree_and_come_back_with_their_parents(
    connector: MoodleConnector, framework: int
) -> None:
    field = connector.create_competency(
        framework, idnumber="K1", shortname="Personlige kompetencer", description=""
    )
    child = connector.create_competency(
        framework,
        idnumber="K1.5",
        shortname=STATEMENT,
        description=STATEMENT,
        parent_id=field.id,
    )

    listed = {c.idnumber: c for c in connector.competencies(framework)}

    assert (field.parent_id, child.parent_id) == (None, field.id)
    assert listed["K1.5"].shortname == STATEMENT
    assert listed["K1.5"].description == STATEMENT, "Danish letters arrive intact"
    assert (listed["K1"].framework_id, listed["K1.5"].sort_order) == (framework, 0)


def test_texts_keep_typographic_quotes_and_come_back_as_moodle_formats_them(
    connector: MoodleConnector, framework: int
) -> None:
    created = connector.create_competency(
        framework, idnumber="K7.3", shortname=QUOTED, description=QUOTED
    )
    assert (created.shortname, created.description) == (QUOTED, QUOTED)

    connector.update_competency(
        created.id, shortname="Økonomi & styring", description="Økonomi & styring"
    )

    (updated,) = connector.competencies(framework)
    assert updated.shortname == "Økonomi &amp; styring", "format_string escapes a bare &"
    assert updated.description == "Økonomi &amp; styring", "PARAM_CLEANHTML purifies it"


def test_duplicate_competency_idnumbers_are_refused_in_one_framework_only(
    sim: MoodleSimulator, connector: MoodleConnector, framework: int
) -> None:
    connector.create_competency(framework, idnumber="K1", shortname="A", description="")
    with pytest.raises(LmsPermanentError) as raised:
        connector.create_competency(framework, idnumber="K1", shortname="B", description="")
    assert raised.value.errorcode == "invalidpersistenterror"

    other = sim.add_competency_framework("Andet", "ANDET")
    assert connector.create_competency(other, idnumber="K1", shortname="C", description="").id


def test_an_unknown_framework_or_parent_is_not_found(
    connector: MoodleConnector, framework: int
) -> None:
    with pytest.raises(LmsNotFoundError):
        connector.create_competency(404, idnumber="K1", shortname="A", description="")
    with pytest.raises(LmsNotFoundError):
        connector.create_competency(
            framework, idnumber="K1.1", shortname="A", description="", parent_id=404
        )
    with pytest.raises(LmsNotFoundError):
        connector.competencies(404)
    with pytest.raises(LmsNotFoundError):
        connector.update_competency(404, shortname="A")


def test_courses_link_competencies_once_and_unlink_them(
    sim: MoodleSimulator, connector: MoodleConnector, framework: int
) -> None:
    course = sim.add_course("Konflikthåndtering", idnumber="KUR-KONFLIKT")
    first = connector.create_competency(framework, idnumber="K1", shortname="A", description="")
    second = connector.create_competency(framework, idnumber="K2", shortname="B", description="")

    assert connector.add_competency_to_course(course, second.id) is True
    assert connector.add_competency_to_course(course, first.id) is True
    assert connector.add_competency_to_course(course, first.id) is False, "already linked"

    links = connector.course_competencies(course)
    assert [(link.competency.idnumber, link.sort_order) for link in links] == [
        ("K2", 0),
        ("K1", 1),
    ]
    assert {link.course_id for link in links} == {course}
    assert links[0].rule_outcome == 1, "Moodle's default: completing the course is evidence"

    assert connector.remove_competency_from_course(course, second.id) is True
    assert connector.remove_competency_from_course(course, second.id) is False
    assert [
        (link.competency.idnumber, link.sort_order)
        for link in connector.course_competencies(course)
    ] == [("K1", 0)]


def test_course_calls_on_a_missing_course_or_competency_are_not_found(
    sim: MoodleSimulator, connector: MoodleConnector, framework: int
) -> None:
    course = sim.add_course("Konflikthåndtering")
    with pytest.raises(LmsNotFoundError):
        connector.course_competencies(404)
    with pytest.raises(LmsNotFoundError):
        connector.add_competency_to_course(course, 404)
    with pytest.raises(LmsNotFoundError):
        connector.remove_competency_from_course(404, 1)


def test_a_competency_of_a_hidden_framework_cannot_be_linked(
    sim: MoodleSimulator, connector: MoodleConnector, framework: int
) -> None:
    course = sim.add_course("Konflikthåndtering")
    competency = connector.create_competency(
        framework, idnumber="K1", shortname="A", description=""
    )
    connector.update_competency_framework(framework, visible=False)

    with pytest.raises(LmsPermanentError) as raised:
        connector.add_competency_to_course(course, competency.id)
    assert raised.value.errorcode == "codingerror"

    connector.update_competency_framework(framework, visible=True)
    assert connector.add_competency_to_course(course, competency.id) is True


def test_updating_a_framework_changes_only_what_is_sent(
    sim: MoodleSimulator, connector: MoodleConnector, framework: int
) -> None:
    connector.update_competency_framework(framework, shortname="Nyt navn")

    (call,) = sim.calls_to("core_competency_update_competency_framework")
    assert call.params == {"competencyframework": {"id": str(framework), "shortname": "Nyt navn"}}
    (found,) = connector.competency_frameworks(query="LTK-LEDER-V1")
    assert (found.shortname, found.description) == ("Nyt navn", "<p>Syv kompetencefelter.</p>")


def test_without_the_capability_or_with_competencies_off_moodle_refuses(
    sim: MoodleSimulator, connector: MoodleConnector, framework: int
) -> None:
    sim.service.capabilities.discard("moodle/competency:coursecompetencymanage")
    course = sim.add_course("Konflikthåndtering")
    with pytest.raises(LmsAuthError) as refused:
        connector.add_competency_to_course(course, 1)
    assert refused.value.errorcode == "nopermissions"
    assert "Manage course competencies" in str(refused.value)

    sim.competencies_enabled = False
    with pytest.raises(LmsPermanentError) as disabled:
        connector.competency_frameworks()
    assert disabled.value.errorcode == "competenciesarenotenabled"


def test_an_update_that_does_not_answer_true_is_not_a_success(
    sim: MoodleSimulator, connector: MoodleConnector, framework: int
) -> None:
    sim.respond_next("core_competency_update_competency_framework", False)
    with pytest.raises(LmsPermanentError) as raised:
        connector.update_competency_framework(framework, shortname="X")
    assert raised.value.errorcode == "invalidresponse"


def test_the_scale_configuration_flags_the_default_and_the_proficient_item() -> None:
    assert json.loads(scale_configuration(LmsScale(7, default_item=2, proficient_item=2))) == [
        {"scaleid": "7"},
        {"id": 2, "scaledefault": 1, "proficient": 1},
    ]
