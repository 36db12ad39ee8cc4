"""The job profile (for the advert) and an interview guide as PDF and DOCX, in Danish.

Both formats are written from one list of ``Block``s per document, so the PDF and
the DOCX cannot drift apart: the statements and questions appear in the same order
as on screen. The PDF embeds DejaVu Sans (Debian's ``fonts-dejavu-core``), because
the core PDF fonts cannot show the profile's typographic quotes and dashes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from docx import Document
from fpdf import FPDF
from sqlalchemy.orm import Session

from catalogue.models import InterviewGuide, JobProfile, Priority
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.recruitment.access import (
    get_job_profile,
    require_any_standing,
    require_manager,
)
from catalogue.services.recruitment.guides import check_round, guide_of
from catalogue.services.recruitment.scorecards import SCORE_LABELS

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PRIORITY_HEADINGS = {
    Priority.MUST: "Skal",
    Priority.IMPORTANT: "Vigtigt",
    Priority.NICE: "Kan med fordel",
}


class DocumentFormat(StrEnum):
    PDF = "PDF"
    DOCX = "DOCX"


class BlockKind(StrEnum):
    TITLE = "TITLE"
    HEADING = "HEADING"
    PARAGRAPH = "PARAGRAPH"
    BULLET = "BULLET"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


def job_profile_blocks(job_profile: JobProfile) -> list[Block]:
    blocks = [Block(BlockKind.TITLE, f"Jobprofil: {job_profile.position_title}")]
    if job_profile.context:
        blocks.append(Block(BlockKind.PARAGRAPH, job_profile.context))
    for priority, heading in PRIORITY_HEADINGS.items():
        rows = [row for row in job_profile.statements if row.priority is priority]
        if not rows:
            continue
        blocks.append(Block(BlockKind.HEADING, heading))
        for row in rows:
            blocks.append(Block(BlockKind.BULLET, f"{row.statement.key} {row.statement.text}"))
            if row.behaviour:
                blocks.append(Block(BlockKind.PARAGRAPH, f"Det ser vi efter: {row.behaviour}"))
    return blocks


def guide_blocks(job_profile: JobProfile, guide: InterviewGuide) -> list[Block]:
    minutes = sum(q.minutes for q in guide.questions)
    blocks = [
        Block(
            BlockKind.TITLE,
            f"Interviewguide, {guide.round}. samtale: {job_profile.position_title}",
        ),
        Block(
            BlockKind.PARAGRAPH,
            f"{len(guide.questions)} spørgsmål, {minutes} minutter. Score hvert udsagn 1–4: "
            + ", ".join(f"{n} {label}" for n, label in SCORE_LABELS.items())
            + ".",
        ),
    ]
    for number, question in enumerate(guide.questions, 1):
        blocks.append(
            Block(
                BlockKind.HEADING,
                f"{number}. {question.statement.key} {question.statement.text} "
                f"({question.minutes} min.)",
            )
        )
        blocks.append(Block(BlockKind.PARAGRAPH, question.question))
        blocks.extend(Block(BlockKind.BULLET, probe) for probe in question.probes)
    return blocks


def render_pdf(blocks: list[Block], *, font_dir: Path = FONT_DIR) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(blocks[0].text if blocks else "")
    pdf.set_lang("da")
    pdf.add_font("DejaVu", "", str(font_dir / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(font_dir / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    sizes = {
        BlockKind.TITLE: 16,
        BlockKind.HEADING: 12,
        BlockKind.PARAGRAPH: 10,
        BlockKind.BULLET: 10,
    }
    for block in blocks:
        bold = block.kind in (BlockKind.TITLE, BlockKind.HEADING)
        pdf.set_font("DejaVu", "B" if bold else "", sizes[block.kind])
        text = f"• {block.text}" if block.kind is BlockKind.BULLET else block.text
        pdf.multi_cell(0, sizes[block.kind] * 0.6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    return bytes(pdf.output())


def render_docx(blocks: list[Block]) -> bytes:
    document = Document()
    document.core_properties.language = "da-DK"
    for block in blocks:
        if block.kind is BlockKind.TITLE:
            document.add_heading(block.text, level=0)
        elif block.kind is BlockKind.HEADING:
            document.add_heading(block.text, level=2)
        elif block.kind is BlockKind.BULLET:
            document.add_paragraph(block.text, style="List Bullet")
        else:
            document.add_paragraph(block.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(blocks: list[Block], document_format: DocumentFormat) -> bytes:
    return render_pdf(blocks) if document_format is DocumentFormat.PDF else render_docx(blocks)


def job_profile_document(
    session: Session, *, actor: Viewer, job_profile_id: int, document_format: DocumentFormat
) -> bytes:
    """The job profile for the advert: HR and the hiring chef, once approved."""
    job_profile = get_job_profile(session, job_profile_id)
    require_manager(session, actor, job_profile)
    return render(job_profile_blocks(job_profile), document_format)


def guide_document(
    session: Session,
    *,
    actor: Viewer,
    job_profile_id: int,
    round_number: int,
    document_format: DocumentFormat,
) -> bytes:
    """A round's guide, for everyone on the vacancy (it holds no candidate data)."""
    job_profile = get_job_profile(session, job_profile_id)
    require_any_standing(session, actor, job_profile)
    check_round(round_number)
    guide = guide_of(session, job_profile.id, round_number)
    if guide is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            f"Der er ingen interviewguide til {round_number}. samtale.",
            field="round",
        )
    return render(guide_blocks(job_profile, guide), document_format)
