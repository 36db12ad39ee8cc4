"""The PHP-style form encoder: the exact pairs Moodle's REST server will parse."""

from __future__ import annotations

import math

import pytest

from tests.fakes.moodle.phpform import parse_php_form
from workers.lms.params import ParamValue, count_form_vars, encode_php_params


def test_nested_lists_of_dicts_become_indexed_brackets() -> None:
    pairs = encode_php_params(
        {
            "enrolments": [
                {"roleid": 5, "userid": 7, "courseid": 2},
                {"roleid": 5, "userid": 8, "courseid": 2},
            ]
        }
    )
    assert pairs == [
        ("enrolments[0][roleid]", "5"),
        ("enrolments[0][userid]", "7"),
        ("enrolments[0][courseid]", "2"),
        ("enrolments[1][roleid]", "5"),
        ("enrolments[1][userid]", "8"),
        ("enrolments[1][courseid]", "2"),
    ]


def test_scalar_list_and_plain_fields_keep_their_order() -> None:
    assert encode_php_params({"field": "email", "values": ["a@b.dk", "c@d.dk"]}) == [
        ("field", "email"),
        ("values[0]", "a@b.dk"),
        ("values[1]", "c@d.dk"),
    ]


def test_booleans_are_sent_as_one_and_zero() -> None:
    assert encode_php_params({"a": True, "b": False}) == [("a", "1"), ("b", "0")]


def test_danish_text_and_reserved_characters_survive_a_php_round_trip() -> None:
    value = "Æblegrød & ørred = 100% [ja]?"
    pairs = encode_php_params({"options": [{"name": "q", "value": value}]})
    assert parse_php_form(pairs) == {"options": {"0": {"name": "q", "value": value}}}


def test_deep_nesting_round_trips_through_php_parsing() -> None:
    params: dict[str, ParamValue] = {"a": {"b": [{"c": 1}, {"c": 2, "d": [3, 4]}]}, "e": "x"}
    assert parse_php_form(encode_php_params(params)) == {
        "a": {"b": {"0": {"c": "1"}, "1": {"c": "2", "d": {"0": "3", "1": "4"}}}},
        "e": "x",
    }


def test_empty_list_produces_no_pairs() -> None:
    assert encode_php_params({"options": []}) == []


def test_floats_use_a_round_trippable_spelling() -> None:
    assert encode_php_params({"grade": 7.5}) == [("grade", "7.5")]


@pytest.mark.parametrize("bad", [None, b"bytes", object(), math.nan])
def test_values_php_cannot_represent_are_refused(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        encode_php_params({"x": bad})  # type: ignore[dict-item]


@pytest.mark.parametrize("key", ["", "a[b]", "a]"])
def test_keys_that_would_change_the_structure_are_refused(key: str) -> None:
    with pytest.raises(ValueError, match="invalid parameter name"):
        encode_php_params({key: "1"})
    with pytest.raises(ValueError, match="invalid parameter name"):
        encode_php_params({"outer": {key: "1"}})


def test_count_form_vars_counts_what_php_counts() -> None:
    assert count_form_vars({"courseid": 3, "options": [{"name": "n", "value": "v"}]}) == 3
