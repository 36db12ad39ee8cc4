"""Danish text analysis for search, done in Python so SQLite and PostgreSQL agree exactly.

A word becomes a *term*: lower-cased, stemmed with the Snowball Danish stemmer (the one
PostgreSQL's ``danish`` configuration uses) until it stops changing, then folded to ASCII
(æ→ae, ø→oe, å→aa). Stemming to a fixed point makes "budget" and "budgettet" meet
(Snowball alone gives "budg" and "budget"); folding after stemming lets "oekonomi" find
"økonomi" while the stemmer still sees the Danish letters it knows.

Compounds are split against a lexicon of known terms (the catalogue's and the profile's
own words): "forandringsledelse" is "forandring" + linking s + "ledelse". Both the indexer
and the query analysis use ``split_compound``, so a split made on one side is made on the
other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

import snowballstemmer

from catalogue.models.search import TERM_MAX_LENGTH

#: Words shorter than this are never a part of a compound, and a typo is never guessed
#: for a word shorter than ``TYPO_MIN_LENGTH``.
PART_MIN_LENGTH = 4
TYPO_MIN_LENGTH = 5
#: An unknown last part of a compound must be this long, and the first part a word of
#: its own this long, so that suffixes ("-ering", "-lige") are never taken for words.
UNKNOWN_TAIL_MIN_LENGTH = 5
UNKNOWN_TAIL_HEAD_MIN_LENGTH = 5
WORD_ENDINGS = ("", "s", "e", "er", "en", "et", "es", "ens", "ets", "ers")
#: The letters Danish puts between the parts of a compound ("forandring-s-ledelse").
LINKING_LETTERS = ("s", "e")

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})
_UNFOLD = (("aa", "å"), ("ae", "æ"), ("oe", "ø"))

_STEMMER = snowballstemmer.stemmer("danish")

#: Words that carry no topic; a search for "ledelse af forandring" is about the other two.
STOP_WORDS = frozenset(
    [
        "af",
        "alle",
        "alt",
        "andre",
        "at",
        "blev",
        "bliver",
        "da",
        "de",
        "dem",
        "den",
        "denne",
        "der",
        "deres",
        "det",
        "dette",
        "din",
        "dine",
        "dit",
        "du",
        "efter",
        "eller",
        "en",
        "end",
        "er",
        "et",
        "for",
        "fra",
        "få",
        "før",
        "går",
        "har",
        "hele",
        "hende",
        "her",
        "hos",
        "hvad",
        "hvem",
        "hvor",
        "hvordan",
        "hvis",
        "i",
        "ikke",
        "ind",
        "jeg",
        "jer",
        "kan",
        "kun",
        "man",
        "med",
        "meget",
        "mellem",
        "men",
        "mere",
        "mig",
        "min",
        "mit",
        "mod",
        "må",
        "når",
        "og",
        "om",
        "op",
        "os",
        "over",
        "på",
        "sig",
        "sin",
        "sine",
        "sit",
        "skal",
        "som",
        "så",
        "til",
        "ud",
        "under",
        "ved",
        "vi",
        "vil",
        "være",
    ]
)


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased and NFC-normalised; hyphenated parts come apart."""
    normal = unicodedata.normalize("NFC", text).lower()
    return [part for match in _WORD.finditer(normal) for part in match.group().split("-") if part]


def fold(word: str) -> str:
    """æ, ø, å (and a few borrowed letters) in their ASCII spellings."""
    return word.translate(_FOLD)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball Danish stem, repeated until it no longer changes, folded to ASCII."""
    current = word
    for _ in range(4):
        shorter = _STEMMER.stemWord(current)
        if shorter == current:
            break
        current = shorter
    return fold(current)[:TERM_MAX_LENGTH]


def unfolded(word: str) -> str | None:
    """The Danish spelling of a word typed in ASCII ("oekonomi" → "økonomi"), if it has one."""
    result = word
    for ascii_spelling, letter in _UNFOLD:
        result = result.replace(ascii_spelling, letter)
    return result if result != word else None


class Lexicon:
    """The words compounds are split against: folded surface words and their stems."""

    def __init__(self, known_words: Iterable[str]) -> None:
        self.words = frozenset(fold(word) for word in known_words)
        self.stems = frozenset(stem(word) for word in self.words)

    def knows(self, part: str) -> bool:
        return len(part) >= PART_MIN_LENGTH and (
            fold(part) in self.words or stem(part) in self.stems
        )

    def knows_as_word(self, part: str) -> bool:
        """``part`` occurs as a word of its own, bare or inflected ("budget", "budgets")."""
        folded = fold(part)
        return len(part) >= UNKNOWN_TAIL_HEAD_MIN_LENGTH and any(
            folded + ending in self.words for ending in WORD_ENDINGS
        )


EMPTY_LEXICON = Lexicon(())


def split_compound(word: str, lexicon: Lexicon) -> list[str] | None:
    """The parts of a compound whose parts are known words, longest first part first.

    The last part may be an unknown word of ``UNKNOWN_TAIL_MIN_LENGTH`` letters or more when
    the first part occurs as a word of its own ("budgetlægning" with "budgets" known):
    Danish puts the topic first, so that part is what a searcher means. ``None`` when no
    split fits.
    """
    return _split(word, lexicon, allow_unknown_tail=True)


def split_known_compound(word: str, lexicon: Lexicon) -> list[str] | None:
    """``split_compound`` with every part a known word (no guessed last part)."""
    return _split(word, lexicon, allow_unknown_tail=False)


def _heads(head: str) -> list[str]:
    if head[-1] in LINKING_LETTERS and len(head) > PART_MIN_LENGTH:
        return [head, head[:-1]]
    return [head]


def _split(word: str, lexicon: Lexicon, *, allow_unknown_tail: bool) -> list[str] | None:
    for cut in range(len(word) - PART_MIN_LENGTH, PART_MIN_LENGTH - 1, -1):
        tail = word[cut:]
        for head in _heads(word[:cut]):
            if not lexicon.knows(head):
                continue
            if lexicon.knows(tail):
                return [head, tail]
            rest = _split(tail, lexicon, allow_unknown_tail=False)
            if rest is not None:
                return [head, *rest]
    if allow_unknown_tail:
        for cut in range(len(word) - UNKNOWN_TAIL_MIN_LENGTH, PART_MIN_LENGTH - 1, -1):
            for head in _heads(word[:cut]):
                if lexicon.knows_as_word(head):
                    return [head, word[cut:]]
    return None


def content_words(text: str) -> Iterator[str]:
    """The words of ``text`` that carry a topic: no stop words, no single letters."""
    for word in words(text):
        if len(word) > 1 and word not in STOP_WORDS:
            yield word


def document_terms(text: str, lexicon: Lexicon) -> dict[str, bool]:
    """The terms a text is found by: each word's stem, and its compound parts' stems.

    The value says whether the term is only a part of a compound in the text (``True``),
    which ranks lower than a word of its own.
    """
    terms: dict[str, bool] = {}
    for word in content_words(text):
        terms[stem(word)] = False
    for word in content_words(text):
        for part in split_compound(word, lexicon) or ():
            if len(part_term := stem(part)) >= PART_MIN_LENGTH:
                terms.setdefault(part_term, True)
    return terms


def lexicon_words(text: str) -> set[str]:
    """The words of a text that compounds may be split into (folded, four letters or more)."""
    return {
        fold(word)[:TERM_MAX_LENGTH] for word in content_words(text) if len(word) >= PART_MIN_LENGTH
    }
