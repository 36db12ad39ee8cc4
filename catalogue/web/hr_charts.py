"""HR's coverage heatmap: statements × what builds them, as server-rendered SVG.

Like the leader's charts (``charts.py``) the SVG is decoration (``aria-hidden``); the page
shows the same numbers in a table, which is what a screen reader reads. Each column is
shaded against its own largest value, so a pale row stands out as a gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from catalogue.services.coverage import StatementCoverage
from catalogue.web.hr_views import CoveragePage

#: Column headings of the heatmap and its table, in order.
COLUMNS = ("Primære kurser", "Støttende kurser", "Aktiviteter", "Kommende hold", "Ledige pladser")
SHORT = ("Primær", "Støtte", "Akt.", "Hold", "Pladser")
#: Shown for a run without a seat limit.
UNLIMITED = "∞"
#: Red-tinted for a gap, from pale to the dkfds green for the best-covered.
GAP_FILL = "#f9e0e0"
LOW = (0xE8, 0xEE, 0xF4)
HIGH = (0x00, 0x81, 0x39)


@dataclass(frozen=True)
class CoverageRow:
    key: str
    text: str
    gap: bool
    #: One value per column; None means unlimited seats.
    values: tuple[int | None, ...]


def coverage_rows(rows: Sequence[StatementCoverage]) -> list[CoverageRow]:
    return [
        CoverageRow(
            key=row.statement.key,
            text=row.statement.text,
            gap=row.is_gap,
            values=(
                len(set(row.primary_course_ids)),
                len(set(row.supporting_course_ids)),
                len(set(row.primary_activity_ids) | set(row.supporting_activity_ids)),
                row.upcoming_runs,
                row.seats_left,
            ),
        )
        for row in rows
    ]


def coverage(page: CoveragePage) -> Markup:
    rows = coverage_rows(page.rows)
    cell_w, cell_h, label_w = 64, 22, 70
    width = label_w + cell_w * len(COLUMNS) + 4
    height = cell_h * (len(rows) + 1) + 6
    highest = [
        max((r.values[c] or 0 for r in rows if r.values[c] is not None), default=0) or 1
        for c in range(len(COLUMNS))
    ]
    parts = [
        f'<svg class="chart heatmap" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-hidden="true" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for c, heading in enumerate(SHORT):
        parts.append(
            f'<text x="{label_w + c * cell_w + cell_w / 2}" y="16" text-anchor="middle">'
            f"{escape(heading)}</text>"
        )
    for r, row in enumerate(rows):
        y = (r + 1) * cell_h + 4
        parts.append(f'<text x="0" y="{y + 15}">{escape(row.key)}{" !" if row.gap else ""}</text>')
        for c, value in enumerate(row.values):
            share = 1.0 if value is None else value / highest[c]
            fill = GAP_FILL if row.gap and c == 0 else _mix(LOW, HIGH, share)
            colour = "#ffffff" if share > 0.5 and not (row.gap and c == 0) else "#1a1a1a"
            x = label_w + c * cell_w
            shown = UNLIMITED if value is None else str(value)
            parts.append(
                f'<g class="heatmap-cell"><rect x="{x}" y="{y}" width="{cell_w - 2}" '
                f'height="{cell_h - 2}" fill="{fill}"/><text x="{x + cell_w / 2 - 1}" '
                f'y="{y + 15}" text-anchor="middle" style="fill:{colour}">{shown}</text></g>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text put in is escaped or a number


def _mix(low: tuple[int, int, int], high: tuple[int, int, int], share: float) -> str:
    r, g, b = (round(a + (b - a) * share) for a, b in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"
