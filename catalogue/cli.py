"""The ``catalogue`` command: serve, migrate, seed, search-reindex, schema, token, import people,
lti-platform."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from catalogue.db import DatabaseConfigError, make_engine, make_session_factory
from catalogue.health import check_database
from catalogue.models import Role
from catalogue.services.capabilities import danish_list
from catalogue.services.errors import DomainError
from catalogue.settings import Settings, get_settings
from catalogue.settings_errors import SettingsError

app = typer.Typer(
    help="Kompetencekatalog: kompetenceprofil, kursuskatalog og LMS-synkronisering.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _fail(message: str) -> NoReturn:
    typer.echo(f"fejl: {message}", err=True)
    raise typer.Exit(code=1)


def _settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as exc:
        _fail(str(exc))


def _reachable_engine(settings: Settings):  # type: ignore[no-untyped-def]
    try:
        engine = make_engine(settings.database_url)
        check_database(engine)
    except DatabaseConfigError as exc:
        _fail(str(exc))
    return engine


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (Alembic upgrade head)."""
    from catalogue import migrate as migrations

    settings = _settings()
    _reachable_engine(settings).dispose()
    migrations.upgrade(settings.database_url.get_secret_value())
    typer.echo(f"databasen er opdateret til version {migrations.head_revision()}")


@app.command()
def seed(
    demo: Annotated[
        bool, typer.Option("--demo/--no-demo", help="Indlæs også demokataloget og -organisationen.")
    ] = True,
) -> None:
    """Load the competence profile (and the demo catalogue); running it again changes nothing."""
    from catalogue.seeding.loader import seed as run_seed

    settings = _settings()
    engine = _reachable_engine(settings)
    try:
        result = run_seed(make_session_factory(engine), demo=demo)
    except DomainError as exc:
        _fail(exc.message)
    finally:
        engine.dispose()
    typer.echo(result.summary())


@app.command("search-reindex")
def search_reindex() -> None:
    """Build the search index again from every course and statement (after a bulk load)."""
    from catalogue.db import transaction
    from catalogue.services.search_index import reindex_all

    settings = _settings()
    engine = _reachable_engine(settings)
    try:
        with transaction(make_session_factory(engine)) as session:
            courses, statements = reindex_all(session)
    finally:
        engine.dispose()
    typer.echo(f"søgeindekset er bygget igen: {courses} kurser, {statements} udsagn")


@app.command()
def schema() -> None:
    """Print the GraphQL schema (SDL); ``graphql/schema.graphql`` must equal it."""
    from catalogue.graphql.schema import build_schema

    typer.echo(build_schema(_settings()).as_str())


@app.command()
def token(
    email: Annotated[str, typer.Option(help="Personens e-mail.")],
    role: Annotated[list[str], typer.Option(help=f"Rolle: {danish_list(Role)}.")],
    expires: Annotated[str, typer.Option(help="Gyldighed, fx 30m, 8h eller 7d.")] = "8h",
) -> None:
    """Mint a local development token for a person in the catalogue."""
    from sqlalchemy import select

    from catalogue.models import Person
    from catalogue.services.tokens import mint_token

    settings = _settings()
    try:
        roles = [Role(r.upper()) for r in role]
    except ValueError:
        _fail(f"ukendt rolle i {role}; vælg blandt {', '.join(Role)}")
    lifetime = _duration(expires)
    engine = _reachable_engine(settings)
    try:
        with make_session_factory(engine)() as session:
            person = session.scalar(select(Person).where(Person.email == email.lower()))
            if person is None:
                _fail(f"ingen person med e-mail {email}; kør `catalogue seed` eller opret personen")
            typer.echo(mint_token(settings, person=person, roles=roles, expires_in=lifetime))
    except DomainError as exc:
        _fail(exc.message)
    finally:
        engine.dispose()


def _duration(text: str) -> timedelta:
    units = {"m": "minutes", "h": "hours", "d": "days"}
    number, unit = text[:-1], text[-1:]
    if unit not in units or not number.isdigit() or int(number) <= 0:
        _fail(f"--expires: {text!r} skal være et positivt tal efterfulgt af m, h eller d")
    return timedelta(**{units[unit]: int(number)})


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Adresse at lytte på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port at lytte på.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Antal processer.")] = 1,
) -> None:
    """Serve the API; GraphiQL at /graphql in development."""
    import uvicorn

    from catalogue.http_limits import uvicorn_limits

    settings = _settings()
    _reachable_engine(settings).dispose()
    typer.echo(f"GraphQL på http://{host}:{port}/graphql")
    uvicorn.run(
        "catalogue.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        proxy_headers=True,
        **uvicorn_limits(settings.max_request_header_bytes),
    )


import_app = typer.Typer(help="Import from the municipality's own systems.", no_args_is_help=True)
app.add_typer(import_app, name="import")


@import_app.command("people")
def import_people(
    file: Annotated[Path, typer.Argument(help="HR-systemets eksport: CSV (UTF-8) eller XLSX.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Vis hvad der ville ske; skriv intet.")
    ] = False,
) -> None:
    """Import people, org units, managers and roles from an HR file; all or nothing."""
    from catalogue.models.base import utcnow
    from catalogue.people_files import rows
    from catalogue.services.errors import DomainValidationError
    from catalogue.services.people_import import import_people as run_import

    settings = _settings()
    engine = _reachable_engine(settings)
    try:
        with make_session_factory(engine)() as session:
            summary = run_import(session, lambda: rows(file), now=utcnow(), dry_run=dry_run)
            if not dry_run:
                session.commit()
    except DomainValidationError as exc:
        lines = "\n".join(f"  {error.message}" for error in exc.errors)
        _fail(f"{file.name} er ikke indlæst; intet er skrevet:\n{lines}")
    except DomainError as exc:
        _fail(f"{file.name} er ikke indlæst; intet er skrevet: {exc.message}")
    finally:
        engine.dispose()
    if dry_run:
        typer.echo("prøvekørsel (--dry-run): intet er skrevet")
    typer.echo("\n".join(summary.lines(dry_run=dry_run)))


@app.command("lti-platform")
def lti_platform(
    name: Annotated[str, typer.Option(help="Platformens navn, som brugerne ser det.")],
    issuer: Annotated[str, typer.Option(help="Platformens issuer (Moodle: sidens adresse).")],
    client_id: Annotated[str, typer.Option(help="Klient-id'et, platformen gav værktøjet.")],
    auth_login_url: Annotated[str, typer.Option(help="Platformens OIDC-login-adresse.")],
    auth_token_url: Annotated[str, typer.Option(help="Platformens token-adresse.")],
    key_set_url: Annotated[str, typer.Option(help="Platformens JWKS-adresse.")],
    deployment_id: Annotated[list[str], typer.Option(help="Et deployment-id; gentag for flere.")],
    sub_is_lms_user_id: Annotated[
        bool,
        typer.Option(help="Platformens sub er det bruger-id, LMS-synkroniseringen kender."),
    ] = False,
) -> None:
    """Register an LTI 1.3 platform by hand (when it cannot use dynamic registration)."""
    from catalogue.services.lti_platforms import PlatformInput, add_platform

    settings = _settings()
    engine = _reachable_engine(settings)
    data = PlatformInput(
        name=name,
        issuer=issuer,
        client_id=client_id,
        auth_login_url=auth_login_url,
        auth_token_url=auth_token_url,
        key_set_url=key_set_url,
        deployment_ids=deployment_id,
        sub_is_lms_user_id=sub_is_lms_user_id,
    )
    try:
        with make_session_factory(engine)() as session:
            platform = add_platform(session, data, allow_http=settings.is_dev)
            session.commit()
            typer.echo(f"platformen {platform.name} ({platform.issuer}) er registreret")
    except DomainError as exc:
        _fail(exc.message)
    finally:
        engine.dispose()


def _register_plugin_commands() -> None:
    """Commands other packages contribute (``workers`` adds ``sync``).

    They are found through the ``catalogue.commands`` entry point group, so the
    catalogue never imports ``workers`` (docs/architecture.md §2) and still offers them.
    """
    from importlib.metadata import entry_points

    for entry in entry_points(group="catalogue.commands"):
        app.command(name=entry.name)(entry.load())


_register_plugin_commands()

if __name__ == "__main__":
    app()
