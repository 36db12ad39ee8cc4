"""The leader's evaluation report as a PDF (fpdf2: pure Python, no system libraries).

WeasyPrint would need Pango and its fonts on every machine; fpdf2 installs from its
wheel alone, so ``make install`` on a fresh machine still works. Its core Helvetica is
set to the Windows-1252 encoding, which holds æ, ø, å and the profile's typographic
quotes and dashes (” – …); the report holds nothing the threshold rules did not allow.
"""

from __future__ import annotations

from fpdf import FPDF

from catalogue.services.evaluation_report import REPORT_GROUP_LABELS, Report


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}".replace(".", ",")


def report_pdf(report: Report) -> bytes:
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(f"Ledelsesevaluering: {report.person_name}")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font("helvetica", "B", 16)
    pdf.multi_cell(width, 8, f"Ledelsesevaluering: {report.person_name}")
    pdf.set_font("helvetica", size=10)
    pdf.multi_cell(width, 5, f"{report.round_name}. Skala 1-{report.scale_max}.")
    if report.respondents:
        counts = ", ".join(
            f"{REPORT_GROUP_LABELS[group].lower()} {count}"
            for group, count in report.respondents.items()
        )
        pdf.multi_cell(width, 5, f"Svarpersoner: {counts}.")
    for note in report.notes:
        pdf.multi_cell(width, 5, note)
    for field in report.fields:
        pdf.ln(3)
        pdf.set_font("helvetica", "B", 12)
        pdf.multi_cell(width, 6, f"{field.key} {field.name}")
        for statement in field.statements:
            pdf.set_font("helvetica", "B", 9)
            pdf.multi_cell(width, 5, f"{statement.key} {statement.text}")
            pdf.set_font("helvetica", size=9)
            cells = [
                f"Selv {_number(statement.self_score)}",
                f"Chef {_number(statement.chef_score)}",
                *(
                    f"{REPORT_GROUP_LABELS[cell.group]} {_number(cell.average)} (n={cell.count})"
                    for cell in statement.groups
                ),
                f"Andre {_number(statement.others_average)}",
                f"Forskel {_number(statement.gap)}",
            ]
            if statement.trend is not None:
                cells.append(f"Udvikling {_number(statement.trend)}")
            pdf.multi_cell(width, 5, " · ".join(cells))
            if statement.suppressed:
                pdf.multi_cell(
                    width, 5, "For få svar til at vise: " + ", ".join(statement.suppressed) + "."
                )
        if field.comments:
            pdf.set_font("helvetica", "I", 9)
            for group, text in field.comments:
                pdf.multi_cell(width, 5, f"{REPORT_GROUP_LABELS[group]}: {text}")
    return bytes(pdf.output())
