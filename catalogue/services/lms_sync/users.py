"""Which LMS user a person is: their stored LMS id, or found once by e-mail and stored.

The catalogue's key for a person is the e-mail address; the gateway compares it
with the LMS field chosen in settings (``CATALOGUE_MOODLE_USER_MATCH_FIELD``:
``email``, or ``username``/``idnumber`` where the site stores the e-mail or UPN
there). The LMS owns its ids, so once found the id is stored on the person and
the lookup is not repeated.
"""

from __future__ import annotations

from sqlalchemy import select

from catalogue.models import Person
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.lms_sync.context import SyncContext


class LmsUserNotFoundError(DomainError):
    def __init__(self, person: Person) -> None:
        super().__init__(
            ErrorCode.NOT_FOUND,
            f"{person.name} ({person.email}) findes ikke som bruger i LMS'et endnu.",
        )


def lms_user_id(ctx: SyncContext, person: Person) -> int:
    """The person's LMS user id; raises ``LmsUserNotFoundError`` if the LMS has no such user."""
    if person.lms_user_id and person.lms_user_id.isdigit():
        return int(person.lms_user_id)
    wanted = person.email.casefold()
    for user in ctx.gateway.find_users([person.email]):
        value = ctx.gateway.match_value(user)
        if value is not None and value.casefold() == wanted:
            _link(ctx, person, user.id)
            return user.id
    raise LmsUserNotFoundError(person)


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
