"""``python -m tests.fakes.moodle``: the Moodle simulator on its own, with the demo catalogue.

For a newcomer trying the sync without a Moodle: start this in one terminal and
run ``catalogue sync all`` in another with the settings it prints. It speaks the
same Web Services protocol as the simulator the tests use (``simulator.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from catalogue.seeding.files import read_seed_file
from catalogue.seeding.schema import DemoSeed
from catalogue.settings import PROJECT_ROOT
from tests.fakes.moodle.demo_site import mirror_demo
from tests.fakes.moodle.simulator import MoodleSimulator

DEFAULT_TOKEN = "sim-token-0123456789abcdef"


def main(
    port: Annotated[int, typer.Option(help="Porten på 127.0.0.1")] = 8001,
    token: Annotated[str, typer.Option(help="Det token simulatoren godtager")] = DEFAULT_TOKEN,
    demo_file: Annotated[Path, typer.Option(help="Demodata at spejle")] = PROJECT_ROOT
    / "seed"
    / "demo.yaml",
) -> None:
    """Kør en simuleret Moodle med demokatalogets e-læringskurser og personer."""
    url = f"http://127.0.0.1:{port}"
    sim = MoodleSimulator(token=token, site_url=url)
    mirror_demo(sim, read_seed_file(demo_file, DemoSeed))
    typer.echo(
        f"Moodle-simulatoren svarer på {url} ({len(sim.courses)} kurser, {len(sim.users)} brugere)."
    )
    typer.echo("Prøv synkroniseringen i en anden terminal:")
    typer.echo(
        f"  CATALOGUE_LMS_KIND=moodle CATALOGUE_MOODLE_URL={url} "
        f"CATALOGUE_MOODLE_TOKEN={token} .venv/bin/catalogue sync all"
    )
    uvicorn.run(sim.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")


if __name__ == "__main__":
    typer.run(main)
