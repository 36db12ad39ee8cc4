"""What a Danish search means: each typed word as the terms that find it, and why.

A word is found by its own stem, by its Danish spelling when typed in ASCII ("oekonomi"),
by the parts of a compound ("forandringsledelse": "forandring" and "ledelse"; or only the
first part, which names the topic), by a known word one letter away when it is itself
unknown ("konfikt"), and by HR's synonyms ("MUS"). A course matches when every word is
found in its own texts or in a statement it is linked to; relevance adds up, in integers so
both databases order alike, the weight of where (title before summary, a primary link
before a supporting one) times the weight of how (the word itself before a guess).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    CompetenceLink,
    CompetenceStatement,
    Course,
    LinkStrength,
    SearchField,
    SearchSynonym,
    SearchTerm,
)
from catalogue.services.danish_text import (
    PART_MIN_LENGTH,
    TYPO_MIN_LENGTH,
    Lexicon,
    content_words,
    fold,
    split_compound,
    split_known_compound,
    stem,
    unfolded,
    words,
)
from catalogue.services.search_index import load_lexicon


class SearchVia(StrEnum):
    """How a typed word found a term; weights below say how much each counts."""

    WORD = "WORD"
    SPELLING = "SPELLING"
    COMPOUND = "COMPOUND"
    COMPOUND_PART = "COMPOUND_PART"
    SYNONYM = "SYNONYM"
    TYPO = "TYPO"


VIA_WEIGHT = {
    SearchVia.WORD: 4,
    SearchVia.SPELLING: 4,
    SearchVia.COMPOUND: 3,
    SearchVia.SYNONYM: 3,
    SearchVia.COMPOUND_PART: 2,
    SearchVia.TYPO: 2,
}
FIELD_WEIGHT = {
    SearchField.TITLE: 6,
    SearchField.ACTIVITY: 3,
    SearchField.SUMMARY: 3,
    SearchField.AUDIENCE: 1,
    SearchField.PROVIDER: 1,
}
#: A statement counts through the link: a primary link as much as the summary.
LINK_WEIGHT = {LinkStrength.PRIMARY: 3, LinkStrength.SUPPORTING: 2}


@dataclass(frozen=True)
class Alternative:
    """Terms that together find a typed word (one, or a compound's parts)."""

    terms: frozenset[str]
    via: SearchVia
    synonym: str | None = None


@dataclass(frozen=True)
class QueryWord:
    text: str
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class AnalysedQuery:
    """A search as the database is asked it; hashable, so a DataLoader can key on it.

    ``rarity`` weighs each term by how few courses have it (1 for a term nearly every course
    has, such as "led" from "leder" and "ledelse", up to ``RARITY_MAX``), so the word that
    tells courses apart decides the order.
    """

    words: tuple[QueryWord, ...]
    rarity: tuple[tuple[str, int], ...] = ()

    def terms(self) -> list[str]:
        return sorted({t for word in self.words for a in word.alternatives for t in a.terms})

    def term_weights(self) -> dict[str, int]:
        """Each term: the best weight of how it was found, times its rarity."""
        rarity = dict(self.rarity)
        weights: dict[str, int] = {}
        for word in self.words:
            for alternative in word.alternatives:
                for term in alternative.terms:
                    weight = VIA_WEIGHT[alternative.via] * rarity.get(term, 1)
                    weights[term] = max(weights.get(term, 0), weight)
        return weights


RARITY_MAX = 8
#: What a title holding every word of the query adds: a title hit of the rarest word, twice.
TITLE_BONUS = 2 * 2 * 6 * 4 * RARITY_MAX


def _rarity(session: Session, terms: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """An integer inverse document frequency per term, from the index (one grouped query)."""
    if not terms:
        return ()
    courses = session.scalar(select(func.count()).select_from(Course)) or 0
    rows = session.execute(
        select(SearchTerm.term, func.count(func.distinct(SearchTerm.course_id)))
        .where(SearchTerm.term.in_(terms), SearchTerm.course_id.is_not(None))
        .group_by(SearchTerm.term)
    ).all()
    counts: dict[str, int] = {term: count for term, count in rows}  # noqa: C416
    scale = math.log(courses + 1) or 1.0

    def rarity(term: str) -> int:
        share = math.log((courses + 1) / (counts.get(term, 0) + 1)) / scale
        return max(1, round(RARITY_MAX * share))

    return tuple((term, rarity(term)) for term in terms)


def _synonyms(session: Session) -> dict[str, list[str]]:
    """Analysed key of one side -> the texts of every word it is a synonym of.

    Synonyms chain: with "MUS" ↔ "medarbejderudviklingssamtale" and "MUS" ↔
    "medarbejdersamtale", the two long words are synonyms of each other too, as a person
    reading HR's list would take them.
    """
    text_of: dict[str, str] = {}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for row in session.execute(
        select(
            SearchSynonym.first,
            SearchSynonym.second,
            SearchSynonym.first_key,
            SearchSynonym.second_key,
        ).order_by(SearchSynonym.id)
    ):
        text_of.setdefault(row.first_key, row.first)
        text_of.setdefault(row.second_key, row.second)
        neighbours[row.first_key].add(row.second_key)
        neighbours[row.second_key].add(row.first_key)
    table: dict[str, list[str]] = {}
    for start in neighbours:
        group, todo = {start}, [start]
        while todo:
            for other in neighbours[todo.pop()] - group:
                group.add(other)
                todo.append(other)
        table[start] = [text_of[key] for key in sorted(group - {start})]
    return table


def synonym_key(text: str) -> str:
    """The analysed form of a synonym's side, which finds and de-duplicates it."""
    return " ".join(stem(word) for word in (list(content_words(text)) or words(text)))


def _typo_terms(word: str, lexicon: Lexicon) -> list[str]:
    """Known terms one edit from the word as typed, or from its stem ("konfikt" → "konflikt")."""
    found = {
        stem(candidate)
        for candidate, _distance, _key in process.extract(
            fold(word), lexicon.words, scorer=Levenshtein.distance, score_cutoff=1, limit=None
        )
    }
    found |= {
        candidate
        for candidate, _distance, _key in process.extract(
            stem(word), lexicon.stems, scorer=Levenshtein.distance, score_cutoff=1, limit=None
        )
        if len(candidate) >= TYPO_MIN_LENGTH - 1
    }
    return sorted(found - {stem(word)})


#: A word this long (as a stem) also finds the compounds it begins ("stress" finds
#: "stresshåndtering" where no text has "stress" alone to split against); at most
#: ``PREFIX_LIMIT`` of them, the shortest first.
PREFIX_MIN_LENGTH = 5
PREFIX_LIMIT = 40


def _compounds_starting_with(term: str, lexicon: Lexicon) -> list[str]:
    if len(term) < PREFIX_MIN_LENGTH:
        return []
    found = [
        t for t in lexicon.stems if t.startswith(term) and len(t) >= len(term) + PART_MIN_LENGTH
    ]
    return sorted(found, key=lambda t: (len(t), t))[:PREFIX_LIMIT]


def _alternatives(
    word: str, lexicon: Lexicon, synonyms: dict[str, list[str]], *, by_topic: bool = True
) -> tuple[Alternative, ...]:
    """Everything that finds ``word``; ``by_topic`` lets a compound's first part alone do so
    (not for a synonym's word: "MUS" is no course about "medarbejdere")."""
    own = stem(word)
    found: list[Alternative] = [Alternative(frozenset({own}), SearchVia.WORD)]
    danish = unfolded(word)
    if danish is not None and stem(danish) != own:
        found.append(Alternative(frozenset({stem(danish)}), SearchVia.SPELLING))
    unknown = own not in lexicon.stems and (danish is None or stem(danish) not in lexicon.stems)
    typos = _typo_terms(word, lexicon) if unknown and len(word) >= TYPO_MIN_LENGTH else []
    # A misspelt word is not taken apart on a guess ("kommunkation" is no "kommune").
    split = split_known_compound if typos else split_compound
    for spelling in (word, danish) if danish is not None else (word,):
        parts = split(spelling, lexicon)
        if parts:
            part_terms = [stem(part) for part in parts]
            found.append(Alternative(frozenset(part_terms), SearchVia.COMPOUND))
            topic = frozenset(term for term in part_terms[:-1] if len(term) >= PART_MIN_LENGTH)
            if topic and by_topic:
                found.append(Alternative(topic, SearchVia.COMPOUND_PART))
            break
    for term in (own, stem(danish)) if danish is not None else (own,):
        found += [
            Alternative(frozenset({compound}), SearchVia.COMPOUND_PART)
            for compound in _compounds_starting_with(term, lexicon)
        ]
    found += [Alternative(frozenset({term}), SearchVia.TYPO) for term in typos]
    for other in synonyms.get(own, ()):
        other_words = list(content_words(other)) or words(other)
        if len(other_words) == 1:
            # A synonym is found the way the word itself would be: inflected, in compounds.
            found += [
                Alternative(alternative.terms, SearchVia.SYNONYM, synonym=other)
                for alternative in _alternatives(other_words[0], lexicon, {}, by_topic=False)
                if alternative.via is not SearchVia.TYPO
            ]
        elif other_words:
            terms = frozenset(stem(word) for word in other_words)
            found.append(Alternative(terms, SearchVia.SYNONYM, synonym=other))
    unique: dict[tuple[frozenset[str], SearchVia], Alternative] = {}
    for alternative in found:
        unique.setdefault((alternative.terms, alternative.via), alternative)
    return tuple(unique.values())


def analyse_query(session: Session, text: str) -> AnalysedQuery:
    """The query's words (stop words left out unless nothing else is typed) and their terms."""
    typed = _one_per_stem(list(content_words(text)) or words(text))
    if not typed:
        return AnalysedQuery(())
    lexicon = load_lexicon(session)
    synonyms = _synonyms(session)
    whole = synonym_key(text)
    query_words = [QueryWord(w, _alternatives(w, lexicon, synonyms)) for w in typed]
    if len(typed) > 1 and whole in synonyms:
        # A phrase HR made a synonym ("den svære samtale"): its other sides find it as a whole.
        phrase = tuple(
            Alternative(frozenset(synonym_key(other).split()), SearchVia.SYNONYM, synonym=other)
            for other in synonyms[whole]
        )
        as_typed = Alternative(frozenset(whole.split()), SearchVia.WORD)
        query_words = [QueryWord(text.strip(), (as_typed, *phrase))]
    query = AnalysedQuery(tuple(query_words))
    return AnalysedQuery(query.words, _rarity(session, query.terms()))


def _one_per_stem(typed: list[str]) -> list[str]:
    """The first word of each stem: "leder af ledere" asks for one thing twice."""
    seen: dict[str, str] = {}
    for word in typed:
        seen.setdefault(stem(word), word)
    return list(seen.values())


def _owners_with(owner: Any, word: QueryWord, field: SearchField | None = None) -> Select[Any]:
    """Ids of courses (or statements) whose terms hold any of the word's alternatives."""
    singles = sorted(next(iter(a.terms)) for a in word.alternatives if len(a.terms) == 1)
    where = [owner.is_not(None)] + ([SearchTerm.field == field.value] if field else [])
    selects: list[Select[Any]] = []
    if singles:
        selects.append(select(owner).where(*where, SearchTerm.term.in_(singles)))
    for alternative in word.alternatives:
        if len(alternative.terms) > 1:
            selects.append(
                select(owner)
                .where(*where, SearchTerm.term.in_(sorted(alternative.terms)))
                .group_by(owner)
                .having(func.count(func.distinct(SearchTerm.term)) == len(alternative.terms))
            )
    if len(selects) == 1:
        return selects[0]
    return select(union(*selects).subquery().c[0])


def _linked_course_ids(statement_ids: Select[Any]) -> Select[Any]:
    """Courses linked to those statements, directly or through an activity, by a live link."""
    return (
        select(func.coalesce(CompetenceLink.course_id, Activity.course_id))
        .outerjoin(Activity, Activity.id == CompetenceLink.activity_id)
        .where(CompetenceLink.removed_at.is_(None), CompetenceLink.statement_id.in_(statement_ids))
    )


def matching_condition(query: AnalysedQuery) -> ColumnElement[bool]:
    """Every typed word found in the course's own terms or in a linked statement's."""
    conditions = [
        or_(
            Course.id.in_(_owners_with(SearchTerm.course_id, word)),
            Course.id.in_(_linked_course_ids(_owners_with(SearchTerm.statement_id, word))),
        )
        for word in query.words
    ]
    return and_(*conditions)


def _term_weight(weights: dict[str, int]) -> ColumnElement[int]:
    by_weight: dict[int, list[str]] = defaultdict(list)
    for term, weight in weights.items():
        by_weight[weight].append(term)
    return case(
        *(
            (SearchTerm.term.in_(sorted(terms)), weight)
            for weight, terms in sorted(by_weight.items())
        ),
        else_=0,
    )


def _part_factor() -> ColumnElement[int]:
    return case((SearchTerm.compound_part, 1), else_=2)


def ranked(statement: Select[Any], query: AnalysedQuery) -> tuple[Select[Any], ColumnElement[int]]:
    """``statement`` joined to each course's score, and the score: an integer per course.

    Where each term was found, times how it was found. The course's own texts add up; of its
    linked statements only the best counts, so a course with many links does not outrank one
    whose title says what was asked. The scores are two grouped subqueries over the terms
    asked for, joined once, rather than a subquery per course.
    """
    weights = query.term_weights()
    terms = sorted(weights)
    field_weight = case(
        *((SearchTerm.field == field.value, weight) for field, weight in FIELD_WEIGHT.items()),
        else_=0,
    )
    term_score = _term_weight(weights) * _part_factor()
    own = (
        select(
            SearchTerm.course_id.label("course_id"),
            func.sum(field_weight * term_score).label("score"),
        )
        .where(SearchTerm.course_id.is_not(None), SearchTerm.term.in_(terms))
        .group_by(SearchTerm.course_id)
        .subquery("own_score")
    )
    per_statement = (
        select(
            SearchTerm.statement_id.label("statement_id"),
            func.max(term_score).label("score"),
        )
        .where(SearchTerm.statement_id.is_not(None), SearchTerm.term.in_(terms))
        .group_by(SearchTerm.statement_id)
        .subquery("statement_score")
    )
    link_weight = case(
        *((CompetenceLink.strength == s.value, w) for s, w in LINK_WEIGHT.items()), else_=0
    )
    linked_course = func.coalesce(CompetenceLink.course_id, Activity.course_id)
    linked = (
        select(
            linked_course.label("course_id"),
            func.max(link_weight * per_statement.c.score).label("score"),
        )
        .select_from(CompetenceLink)
        .join(per_statement, per_statement.c.statement_id == CompetenceLink.statement_id)
        .outerjoin(Activity, Activity.id == CompetenceLink.activity_id)
        .where(CompetenceLink.removed_at.is_(None))
        .group_by(linked_course)
        .subquery("link_score")
    )
    statement = statement.outerjoin(own, own.c.course_id == Course.id).outerjoin(
        linked, linked.c.course_id == Course.id
    )
    score = func.coalesce(own.c.score, 0) + func.coalesce(linked.c.score, 0)
    if len(query.words) < 2:
        return statement, cast(score, Integer)
    # Every word in the title ("Strategisk ledelse") beats the words spread over the texts.
    in_title = and_(
        *(
            Course.id.in_(_owners_with(SearchTerm.course_id, w, SearchField.TITLE))
            for w in query.words
        )
    )
    return statement, cast(score + case((in_title, TITLE_BONUS), else_=0), Integer)


@dataclass(frozen=True)
class SearchMatch:
    """Why a course was found for one typed word: where, how, and through what."""

    word: str
    field: SearchField
    via: SearchVia
    terms: tuple[str, ...]
    statement_key: str | None = None
    activity_title: str | None = None
    synonym: str | None = None


@dataclass(frozen=True)
class _Found:
    course_id: int
    field: SearchField
    term: str
    statement_key: str | None
    activity_title: str | None


def _found_terms(session: Session, query: AnalysedQuery, course_ids: Sequence[int]) -> list[_Found]:
    terms = query.terms()
    own = session.execute(
        select(SearchTerm.course_id, SearchTerm.field, SearchTerm.term, Activity.title)
        .outerjoin(Activity, Activity.id == SearchTerm.activity_id)
        .where(SearchTerm.course_id.in_(course_ids), SearchTerm.term.in_(terms))
    ).all()
    course_id = func.coalesce(CompetenceLink.course_id, Activity.course_id)
    linked = session.execute(
        select(course_id, CompetenceStatement.key, SearchTerm.term)
        .select_from(CompetenceLink)
        .join(CompetenceStatement, CompetenceStatement.id == CompetenceLink.statement_id)
        .join(SearchTerm, SearchTerm.statement_id == CompetenceLink.statement_id)
        .outerjoin(Activity, Activity.id == CompetenceLink.activity_id)
        .where(
            CompetenceLink.removed_at.is_(None),
            course_id.in_(course_ids),
            SearchTerm.term.in_(terms),
        )
    ).all()
    return [_Found(row[0] or 0, SearchField(row[1]), row[2], None, row[3]) for row in own] + [
        _Found(row[0], SearchField.STATEMENT, row[2], row[1], None) for row in linked
    ]


def _statement_order(key: str | None) -> tuple[int, ...]:
    return tuple(int(n) for n in (key or "").lstrip("K").split(".") if n.isdigit())


def search_matches(
    session: Session, query: AnalysedQuery, course_ids: Sequence[int]
) -> dict[int, list[SearchMatch]]:
    """For each course, every place and way a typed word was found; two bulk queries."""
    if not course_ids or not query.words:
        return {course_id: [] for course_id in course_ids}
    places: dict[tuple[int, SearchField, str | None, str | None], set[str]] = defaultdict(set)
    for found in _found_terms(session, query, course_ids):
        places[(found.course_id, found.field, found.statement_key, found.activity_title)].add(
            found.term
        )
    result: dict[int, list[SearchMatch]] = {course_id: [] for course_id in course_ids}
    field_order = list(SearchField)
    for (course_id, field, key, activity), present in sorted(
        places.items(),
        key=lambda item: (
            field_order.index(item[0][1]),
            _statement_order(item[0][2]),
            item[0][3] or "",
        ),
    ):
        for word in query.words:
            for alternative in word.alternatives:
                if alternative.terms <= present:
                    result[course_id].append(
                        SearchMatch(
                            word=word.text,
                            field=field,
                            via=alternative.via,
                            terms=tuple(sorted(alternative.terms)),
                            statement_key=key,
                            activity_title=activity,
                            synonym=alternative.synonym,
                        )
                    )
                    break
    return result
