"""The one text rule, character by character: what is refused, what is cleaned, what survives."""

from __future__ import annotations

import pytest

from catalogue.services.errors import ErrorCode
from catalogue.services.text_rules import clean_text, is_blank

PROFILE_TEXT = "Vi skal »skabe« „resultater“ – for borgerne: ’æ, ø og å’ “ÆØÅ”."


def test_the_profiles_quotes_and_danish_letters_survive() -> None:
    assert clean_text(PROFILE_TEXT, label="Titlen", multiline=False) == (PROFILE_TEXT, None)


def test_text_is_normalised_to_nfc_and_trimmed_of_invisible_characters() -> None:
    cleaned, problem = clean_text(
        "\ufeff\u200b Ga\u030ardsanger \u200b", label="T", multiline=False
    )
    assert problem is None
    assert cleaned == "Gårdsanger"


@pytest.mark.parametrize(
    "text",
    [
        "Titel\x1b[31m rød",
        "Bip\x07",
        "Slet\x7f",
        "C1\x85midt",
        "Ny\nlinje",
        "Tab\tulator",
        "Vogn\rretur",
    ],
)
def test_control_characters_are_refused_in_a_single_line(text: str) -> None:
    _, problem = clean_text(text, label="Titlen", multiline=False)
    assert problem is not None
    assert problem.code is ErrorCode.INVALID
    assert problem.message.startswith("Titlen indeholder et styretegn (U+")


def test_multiline_text_keeps_newlines_and_tabs_but_not_other_controls() -> None:
    assert clean_text("Første\r\nAnden\r\tTredje", label="M", multiline=True) == (
        "Første\nAnden\n\tTredje",
        None,
    )
    _, problem = clean_text("Første\n\x1b[2J", label="Motivationen", multiline=True)
    assert problem is not None
    assert "U+001B" in problem.message


@pytest.mark.parametrize("char", [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))])
def test_bidi_embeddings_overrides_and_isolates_are_refused(char: str) -> None:
    _, problem = clean_text(f"kursus{char}txt.exe", label="Titlen", multiline=True)
    assert problem is not None
    assert problem.message.startswith("Titlen indeholder et tegn, der vender skriveretningen")
    assert f"U+{ord(char):04X}" in problem.message


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b\u200b", "\ufeff \u200c\u200d\u2060"])
def test_only_invisible_characters_is_blank(text: str) -> None:
    cleaned, _ = clean_text(text, label="Titlen", multiline=False)
    assert is_blank(cleaned)


def test_visible_text_with_a_zero_width_joiner_inside_is_not_blank() -> None:
    assert not is_blank("Team\u200dleder")
