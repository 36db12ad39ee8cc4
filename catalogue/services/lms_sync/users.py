"""Which LMS user a person is: their stored LMS id, or found once by e-mail and stored.

The catalogue's key for a person is the e-mail address; the connector compares
it with the LMS field chosen in its settings (for Moodle
``CATALOGUE_MOODLE_USER_MATCH_FIELD``: ``email``, or another field where the
site stores the e-mail or UPN). The LMS owns its ids, so once found the id
is stored on the person and the lookup is not repeated.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from catalogue.models import Person
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.lms_sync.context import SyncContext
from catalogue.services.lms_sync.port import FailureKind


class LmsUserNotFoundError(DomainError):
    def __init__(self, person: Person) -> None:
        super().__init__(
            ErrorCode.NOT_FOUND,
            f"{person.name} ({person.email}) findes ikke som bruger i LMS'et endnu.",
        )


def lms_user_id(ctx: SyncContext, person: Person) -> int:
    """The person's LMS user id; raises ``LmsUserNotFoundError`` if the LMS has no such user."""
    found = lms_user_ids(ctx, [person])[person.id]
    if isinstance(found, Exception):
        raise found
    return found


def lms_user_ids(ctx: SyncContext, persons: Sequence[Person]) -> dict[int, int | Exception]:
    """Each person's LMS user id, or the item error saying why there is none, by person id.

    The unlinked are looked up in one LMS call. An LMS may refuse that whole
    call for one malformed value (Moodle does), so then each is looked up on
    its own and only that one gets the error.
    """
    found: dict[int, int | Exception] = {}
    unlinked = []
    for person in persons:
        if person.lms_user_id and person.lms_user_id.isdigit():
            found[person.id] = int(person.lms_user_id)
        else:
            unlinked.append(person)
    if not unlinked:
        return found
    try:
        users = _users_by_value(ctx, [p.email for p in unlinked])
    except Exception as exc:
        if len(unlinked) == 1 or ctx.failure_kind(exc) is not FailureKind.ITEM:
            raise
        for person in unlinked:
            try:
                found[person.id] = lms_user_id(ctx, person)
            except Exception as error:
                if ctx.failure_kind(error) is not FailureKind.ITEM:
                    raise
                found[person.id] = error
        return found
    for person in unlinked:
        user_id = users.get(person.email.casefold())
        if user_id is None:
            found[person.id] = LmsUserNotFoundError(person)
            continue
        try:
            _link(ctx, person, user_id)
        except DomainError as error:
            found[person.id] = error
            continue
        found[person.id] = user_id
    return found


def _users_by_value(ctx: SyncContext, values: list[str]) -> dict[str, int]:
    """LMS user ids by their matched value, casefolded; the first user of a value wins."""
    users: dict[str, int] = {}
    for user in ctx.gateway.find_users(values):
        if user.match_value is not None:
            users.setdefault(user.match_value.casefold(), user.id)
    return users


def _link(ctx: SyncContext, person: Person, user_id: int) -> None:
    holder = ctx.session.scalar(select(Person).where(Person.lms_user_id == str(user_id)))
    if holder is not None and holder.id != person.id:
        raise DomainError(
            ErrorCode.CONFLICT,
            f"LMS-bruger {user_id} er allerede knyttet til {holder.email}; "
            f"{person.email} kan ikke også knyttes til den.",
        )
    person.lms_user_id = str(user_id)
    ctx.session.flush()
