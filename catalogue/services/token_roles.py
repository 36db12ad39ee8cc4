"""Which roles a token's person acts in: the claim, the mapping, and the fallback for no claim.

Local tokens (``catalogue token``) carry our role names in ``roles`` and grant only
roles the person holds. A provider token's roles come from the claim named by
``CATALOGUE_OIDC_ROLES_CLAIM`` (``groups`` for Entra ID), through the group mapping
when one is configured: the provider decides who is HR, as it does for every other
application of the municipality, and the catalogue decides only who exists.

A token that grants no role of ours (no claim, or only groups the mapping does not
know) falls back to what the catalogue knows: the roles provisioned on the person
(SCIM or the HR file), else LEADER for someone who leads someone (an active person
has them as manager). Anyone else is refused with a Danish reason, so a colleague
who logs in by mistake learns why instead of meeting empty pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from catalogue.models import Person, Role
from catalogue.services.identity import AuthenticationError, NoRoleError
from catalogue.settings import Settings

LOCAL_ROLES_CLAIM = "roles"
#: A claim holding more values than this is no list of groups a person has; refused.
MAX_CLAIM_VALUES = 5000
MAX_CLAIM_VALUE_LENGTH = 256


def claim_values(claims: Mapping[str, Any], claim: str) -> list[str] | None:
    """The claim's strings, or None when the token has no such claim.

    Entra ID leaves ``groups`` out when a person has more groups than fit in a token
    and points to Graph instead (``_claim_names``, the "groups overage"); that is
    refused, not read as "no groups", so nobody silently loses HR.
    """
    value = claims.get(claim)
    if value is None:
        names = claims.get("_claim_names")
        if isinstance(names, Mapping) and claim in names:
            raise AuthenticationError(
                f"Tokenet har for mange grupper til feltet {claim!r} (identitetsudbyderen "
                "henviser til Graph i stedet). Lad app-registreringen kun sende de grupper, "
                "der er tildelt appen."
            )
        return None
    if (
        not isinstance(value, list)
        or len(value) > MAX_CLAIM_VALUES
        or not all(
            isinstance(v, str) and len(v) <= MAX_CLAIM_VALUE_LENGTH and v.isprintable()
            for v in value
        )
    ):
        raise AuthenticationError(
            f"Tokenets felt {claim!r} skal være en liste af rollenavne (tekst) uden styretegn, "
            f"højst {MAX_CLAIM_VALUES} med højst {MAX_CLAIM_VALUE_LENGTH} tegn hver."
        )
    return value


def mapped_roles(values: list[str], mapping: Mapping[str, frozenset[Role]] | None) -> set[Role]:
    """Our roles among ``values``: through the mapping, or by name when there is none."""
    if mapping is None:
        return {Role(v) for v in values if v in Role.__members__}
    return {role for v in values for role in mapping.get(v, frozenset())}


def leads_someone(session: Session, person_id: int) -> bool:
    """Whether an active person has ``person_id`` as manager."""
    return bool(
        session.scalar(
            select(exists().where(Person.manager_id == person_id, Person.active.is_(True)))
        )
    )


def token_roles(
    session: Session,
    settings: Settings,
    person: Person,
    claims: Mapping[str, Any],
    *,
    local: bool,
) -> frozenset[Role]:
    """The roles ``person`` acts in with a token of these (validated) ``claims``."""
    if local:
        values = claim_values(claims, LOCAL_ROLES_CLAIM)
        if values is not None:
            # Minted by us for roles the person held; one since taken away is not granted.
            return frozenset(mapped_roles(values, None) & person.roles)
    else:
        values = claim_values(claims, settings.oidc_roles_claim)
        granted = mapped_roles(values or [], settings.role_mapping)
        if granted:
            return frozenset(granted)
    if person.roles:
        return person.roles
    if leads_someone(session, person.id):
        return frozenset({Role.LEADER})
    claim = LOCAL_ROLES_CLAIM if local else settings.oidc_roles_claim
    raise NoRoleError(
        f"{person.email} har ingen rolle i Kompetencekataloget: tokenets felt {claim!r} "
        "giver ingen af katalogets roller, HR har ikke tildelt personen en rolle, og ingen "
        "har personen som leder. Kontakt HR, hvis du skal have adgang."
    )
