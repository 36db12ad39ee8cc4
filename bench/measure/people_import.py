"""Memory of the HR import as the file grows: tracemalloc peak against rows.

The rows stream (``people_files.rows`` reads a line at a time), so reading and
checking them should not grow with the file; the whole-file checks (duplicates,
managers, loops) keep a small index per employee number, which does. Each size
is measured three ways in the same run: the baseline (``csv.reader`` over the
file, nothing kept), the streaming read and row checks (``read_rows``), and the
import's full check pass (``import_people``'s first pass, against an empty
migrated SQLite database). Figures are peak bytes, bytes per row and the ratio
to the baseline at the same size; never a time.
"""

from __future__ import annotations

import csv
import gc
import tempfile
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.people_files import rows
from catalogue.services import people_import
from catalogue.services.people_rows import read_rows

SIZES = (1_000, 10_000, 50_000, 100_000)
HEADER = "Medarbejdernummer;E-mail;Navn;Titel;Enhed;Leder;Roller"
UNITS = 200


def write_file(path: Path, count: int) -> None:
    """A realistic export: a tree of units, each person's manager an earlier row."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        for n in range(1, count + 1):
            unit = n % UNITS
            manager = "" if n == 1 else str(max(1, n // 8))
            out.write(
                f"{n};person.{n}@ltk.example;Person Nr. {n} Sørensen;Pædagogisk leder;"
                f"TOP=Lyngby-Taarbæk Kommune/U{unit}=Enhed {unit};{manager};LEADER\n"
            )


def _peak(work: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _baseline(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        for _ in csv.reader(f, delimiter=";"):
            pass


def _stream(path: Path) -> None:
    for _ in read_rows(rows(path)):
        pass


def measure(sizes: tuple[int, ...] = SIZES) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="kk-bench-import-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'import.sqlite3'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        results = []
        for count in sizes:
            path = folder / f"people-{count}.csv"
            write_file(path, count)

            def check(path: Path = path) -> None:
                with factory() as session:
                    people_import._check(session, lambda: rows(path))

            base, stream, full = (
                _peak(partial(_baseline, path)),
                _peak(partial(_stream, path)),
                _peak(check),
            )
            results.append(
                {
                    "rows": count,
                    "baseline_peak_bytes": base,
                    "stream_peak_bytes": stream,
                    "check_peak_bytes": full,
                    "stream_ratio": round(stream / base, 2),
                    "check_ratio": round(full / base, 2),
                    "check_bytes_per_row": round(full / count),
                }
            )
            print(results[-1])
        engine.dispose()
    return {"metric": "people_import_memory", "sizes": results}
