"""The job profile and the interview guide as PDF and DOCX, read back: everything, in order."""

from __future__ import annotations

import io

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy.orm import Session

from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.recruitment.documents import (
    DocumentFormat,
    guide_document,
    job_profile_document,
)
from catalogue.services.recruitment.guides import guide_of
from tests.enrolment.factories import Org, viewer
from tests.recruitment.factories import CHOICES, Vacancy


def text_of(data: bytes, document_format: DocumentFormat) -> str:
    if document_format is DocumentFormat.PDF:
        assert data.startswith(b"%PDF")
        pages = PdfReader(io.BytesIO(data)).pages
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)
    paragraphs = Document(io.BytesIO(data)).paragraphs
    return " ".join(" ".join(p.text.split()) for p in paragraphs)


def assert_in_order(text: str, parts: list[str]) -> None:
    position = -1
    for part in parts:
        found = text.find(" ".join(part.split()), position + 1)
        assert found > position, f"{part!r} mangler eller står i forkert rækkefølge"
        position = found


@pytest.mark.parametrize("document_format", list(DocumentFormat))
def test_the_job_profile_document_has_every_statement_in_priority_order(
    session: Session, org: Org, vacancy: Vacancy, document_format: DocumentFormat
) -> None:
    data = job_profile_document(
        session,
        actor=viewer(org.hr),
        job_profile_id=vacancy.job_profile.id,
        document_format=document_format,
    )
    text = text_of(data, document_format)
    rows = {row.statement.key: row for row in vacancy.job_profile.statements}
    parts = ["Jobprofil: Dagtilbudsleder, Dagtilbud Solsikken", "Skal"]
    for key, priority in CHOICES:
        if priority.value == "IMPORTANT" and "Vigtigt" not in parts:
            parts.append("Vigtigt")
        if priority.value == "NICE" and "Kan med fordel" not in parts:
            parts.append("Kan med fordel")
        parts.append(f"{key} {rows[key].statement.text}")
    assert_in_order(text, parts)


@pytest.mark.parametrize("document_format", list(DocumentFormat))
def test_the_guide_document_has_every_question_and_probe_in_order(
    session: Session, vacancy: Vacancy, document_format: DocumentFormat
) -> None:
    data = guide_document(
        session,
        actor=viewer(vacancy.people[1]),
        job_profile_id=vacancy.job_profile.id,
        round_number=1,
        document_format=document_format,
    )
    text = text_of(data, document_format)
    guide = guide_of(session, vacancy.job_profile.id, 1)
    assert guide is not None
    parts = ["Interviewguide, 1. samtale"]
    for question in guide.questions:
        parts += [question.statement.text, question.question, *question.probes]
    assert_in_order(text, parts)
    assert "Fortæl om en gang hvor" in text


def test_someone_outside_the_vacancy_gets_no_document(
    session: Session, org: Org, vacancy: Vacancy
) -> None:
    for call in (
        lambda: job_profile_document(
            session,
            actor=viewer(org.leader),
            job_profile_id=vacancy.job_profile.id,
            document_format=DocumentFormat.PDF,
        ),
        lambda: guide_document(
            session,
            actor=viewer(org.other_chef),
            job_profile_id=vacancy.job_profile.id,
            round_number=1,
            document_format=DocumentFormat.DOCX,
        ),
    ):
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code is ErrorCode.NOT_FOUND
