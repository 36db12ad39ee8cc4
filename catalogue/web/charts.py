"""Server-rendered SVG charts; each page shows the same numbers in a table beside it.

The SVG is decoration for sighted readers (``aria-hidden``): the table is what a
screen reader reads, so the chart needs no accessible name of its own and cannot
say something the table does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from catalogue.web.leader_views import FieldCount

#: dkfds-like colours with at least 3:1 contrast against white for the bars.
COVERED = "#008139"
PLANNED = "#0059b3"
OPEN = "#747474"

ROW = 34
LABEL_WIDTH = 60
BAR_WIDTH = 420


def progress_bars(counts: Sequence[FieldCount]) -> Markup:
    """One stacked bar per field: covered, planned and open statements."""
    height = ROW * len(counts) + 30
    parts = [
        f'<svg class="chart" viewBox="0 0 {LABEL_WIDTH + BAR_WIDTH + 10} {height}" '
        f'width="{LABEL_WIDTH + BAR_WIDTH + 10}" height="{height}" aria-hidden="true" '
        'focusable="false" xmlns="http://www.w3.org/2000/svg">'
    ]
    widest = max((c.total for c in counts), default=1) or 1
    for index, count in enumerate(counts):
        y = index * ROW + 4
        parts.append(f'<text x="0" y="{y + 18}">{escape(count.key)}</text>')
        x = float(LABEL_WIDTH)
        for value, colour in (
            (count.covered, COVERED),
            (count.planned, PLANNED),
            (count.open, OPEN),
        ):
            width = BAR_WIDTH * value / widest
            if width > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="24" fill="{colour}"/>'
                )
                if width >= 18:
                    parts.append(
                        f'<text x="{x + width / 2:.1f}" y="{y + 17}" text-anchor="middle" '
                        f'fill="#ffffff" style="fill:#ffffff">{value}</text>'
                    )
            x += width
    legend_y = ROW * len(counts) + 20
    x = LABEL_WIDTH
    for label, colour in (("Dækket", COVERED), ("Planlagt", PLANNED), ("Åben", OPEN)):
        parts.append(f'<rect x="{x}" y="{legend_y - 11}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{legend_y}">{label}</text>')
        x += 110
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text put in is escaped or a number


@dataclass(frozen=True)
class HeatmapRow:
    label: str
    #: Per column: (covered, total) statements.
    cells: Sequence[tuple[int, int]]


def heatmap(columns: Sequence[str], rows: Sequence[HeatmapRow]) -> Markup:
    """People × fields, each cell shaded by the share of the field's statements covered."""
    cell_w, cell_h, label_w = 56, 30, 170
    width = label_w + cell_w * len(columns) + 4
    height = cell_h * (len(rows) + 1) + 4
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
    ]
    for c, column in enumerate(columns):
        parts.append(
            f'<text x="{label_w + c * cell_w + cell_w / 2}" y="20" text-anchor="middle">'
            f"{escape(column)}</text>"
        )
    for r, row in enumerate(rows):
        y = (r + 1) * cell_h
        parts.append(f'<text x="0" y="{y + 20}">{escape(row.label[:22])}</text>')
        for c, (covered, total) in enumerate(row.cells):
            share = covered / total if total else 0.0
            # From light grey-blue (nothing covered) to the dkfds green (all covered).
            shade = _mix((0xE8, 0xEE, 0xF4), (0x00, 0x81, 0x39), share)
            text_colour = "#ffffff" if share > 0.5 else "#1a1a1a"
            x = label_w + c * cell_w
            parts.append(
                f'<g class="heatmap-cell"><rect x="{x}" y="{y}" width="{cell_w - 2}" '
                f'height="{cell_h - 2}" fill="{shade}"/><text x="{x + cell_w / 2 - 1}" '
                f'y="{y + 19}" text-anchor="middle" style="fill:{text_colour}">'
                f"{covered}/{total}</text></g>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text put in is escaped or a number


def _mix(low: tuple[int, int, int], high: tuple[int, int, int], share: float) -> str:
    r, g, b = (round(a + (b - a) * share) for a, b in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"
