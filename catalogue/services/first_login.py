"""A person created by their first login, for municipalities that provision nobody ahead.

Off unless ``CATALOGUE_OIDC_CREATE_PEOPLE`` is set: with SCIM or the HR file, a
token of someone not provisioned is a mistake to refuse, not a person to invent.
When on, only a provider token whose role claim grants one of our roles creates
anyone (a person with no role would be refused on the next line anyway), and only
from its verified ``email`` and its name; the roles stay the token's, so nothing
is stored that the provider did not say on every login since.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalogue.models import Person
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.identity import AuthenticationError
from catalogue.services.text_rules import clean_text, is_blank
from catalogue.services.token_roles import claim_values, mapped_roles
from catalogue.settings import Settings

NAME_MAX_LENGTH = 200


def _name(claims: Mapping[str, Any], email: str) -> str:
    """``name``, else given and family name, else the address's local part."""
    given, family = claims.get("given_name"), claims.get("family_name")
    parts = [claims.get("name"), " ".join(p for p in (given, family) if isinstance(p, str) and p)]
    for candidate in parts:
        if isinstance(candidate, str) and candidate:
            name, problem = clean_text(candidate, label="Tokenets navn", multiline=False)
            if problem is not None:
                raise AuthenticationError(problem.message)
            if not is_blank(name):
                return name[:NAME_MAX_LENGTH]
    return email.split("@", 1)[0]


def person_from_first_login(
    session: Session, settings: Settings, claims: Mapping[str, Any], *, email: str
) -> Person | None:
    """The person this token creates and commits, or None when it grants no role of ours."""
    if not isinstance(claims.get("email"), str) or "@" not in email:
        return None
    values = claim_values(claims, settings.oidc_roles_claim) or []
    if not mapped_roles(values, settings.role_mapping):
        return None
    name = _name(claims, email)
    try:
        with session.begin_nested():
            person = Person(email=email, name=name)
            session.add(person)
            session.flush()
            record_change(
                session,
                actor_id=person.id,
                person_id=person.id,
                entity_type="Person",
                entity_id=person.id,
                action=AuditAction.PERSON_CREATED_AT_LOGIN,
                details={"source": "OIDC"},
            )
    except IntegrityError:
        # Another request of the same first login stored the person first.
        return session.scalar(select(Person).where(Person.email == email))
    session.commit()
    return person
