"""The one rule for text people write and others read: titles, summaries, rationales, motivations.

Text is normalised to NFC (so "å" typed as a + ring is the same title as "å"), and
trimmed of whitespace and invisible characters at both ends. It is refused when it
holds control characters (a terminal escape in a title reaches every LMS and
export), when it holds the bidi embedding and override characters that make text
display differently from what it says (U+202A–U+202E, U+2066–U+2069), or when
nothing visible is left (a title of zero-width spaces). Multi-line fields keep
newlines and tabs, with CR LF and lone CR made LF. Letters, marks, punctuation and
symbols of every script pass untouched: æ, ø, å and the typographic quotes of the
competence profile (» « „ “ ” ’ –) survive.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from catalogue.services.errors import ErrorCode

#: Bidi embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
#: Invisible characters that count as nothing: zero-width space/joiners, word joiner, BOM.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
MULTILINE_CONTROLS = frozenset("\n\t")


@dataclass(frozen=True)
class TextProblem:
    code: ErrorCode
    message: str


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def clean_text(value: str, *, label: str, multiline: bool) -> tuple[str, TextProblem | None]:
    """``value`` cleaned, and the first problem with it (a Danish message naming ``label``)."""
    text = unicodedata.normalize("NFC", value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip().strip(INVISIBLE + " \t\n").strip()
    allowed = MULTILINE_CONTROLS if multiline else frozenset()
    for char in text:
        if char in BIDI_CONTROLS:
            return text, TextProblem(
                ErrorCode.INVALID,
                f"{label} indeholder et tegn, der vender skriveretningen ({_codepoint(char)}); "
                "fjern det.",
            )
        if unicodedata.category(char) == "Cc" and char not in allowed:
            where = "" if multiline else "; linjeskift og tabulatorer hører ikke til her"
            return text, TextProblem(
                ErrorCode.INVALID,
                f"{label} indeholder et styretegn ({_codepoint(char)}), som ikke er tilladt"
                f"{where}.",
            )
    return text, None


def is_blank(text: str) -> bool:
    """Nothing visible: only whitespace and invisible characters (or nothing at all)."""
    return not text.translate({ord(c): None for c in INVISIBLE}).strip()
