"""HR's dialogue overview as CSV and XLSX downloads, with the same suppressed cells.

A suppressed cell is written as the text "under 5", never as its number, in both
formats. The CSV is UTF-8 with a byte order mark and semicolons, so a Danish Excel
opens it with æ, ø and å intact; the XLSX is made by openpyxl.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from catalogue.services.dialogue.overview import MIN_LEADERS, SECTIONS, Overview

SUPPRESSED_TEXT = f"under {MIN_LEADERS}"
HEADER = ("Afsnit", "Betegnelse", "Ledere")


def _rows(overview: Overview) -> list[tuple[str, str, int | str]]:
    return [
        (
            SECTIONS[cell.section],
            cell.label,
            SUPPRESSED_TEXT if cell.leaders is None else cell.leaders,
        )
        for cell in overview.cells
    ]


def overview_csv(overview: Overview) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(_rows(overview))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def overview_xlsx(overview: Overview) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"LUS {overview.year}"[:31]
    sheet.append([overview.title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(HEADER))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in _rows(overview):
        sheet.append(list(row))
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
