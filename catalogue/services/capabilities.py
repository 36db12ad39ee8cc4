"""What each role may do: the one table of role -> capabilities.

Code checks capabilities (``viewer.can(Capability.CATALOGUE_CURATE)``), never role
names, so a role's rights are exactly its entry in ``ROLE_CAPABILITIES``: adding a
role is a ``Role`` member with its flag column, one entry here and a migration,
and a role whose entry is empty gets nothing, not even ``me``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType

from catalogue.models import Role


class Capability(StrEnum):
    """One thing a viewer may do; the dotted value is what descriptions and errors show."""

    #: Create and edit courses, activities, runs and competence links; see coverage
    #: and who made a link.
    CATALOGUE_CURATE = "catalogue.curate"
    #: See draft courses, their activities and runs, and the links to them.
    CATALOGUE_READ_DRAFTS = "catalogue.read_drafts"
    #: Read the audit log.
    AUDIT_READ = "audit.read"
    #: See one's own person and personal data (``me``, own enrolments).
    PEOPLE_READ_SELF = "people.read_self"
    #: See the personal data of everyone below one in the manager tree (``myTeam``).
    PEOPLE_READ_SUBTREE = "people.read_subtree"
    #: See the personal data of everyone, with their enrolments and completions.
    PEOPLE_READ_ALL = "people.read_all"
    #: List and search the people one may see (``people``).
    PEOPLE_SEARCH = "people.search"
    #: Export everything held on a person, as JSON (GDPR art. 15); audited.
    PEOPLE_EXPORT_DATA = "people.export_data"
    #: Erase a person's personal data (GDPR art. 17), also against open obligations; audited.
    PEOPLE_ERASE = "people.erase"
    #: Enrol oneself, and withdraw oneself until the run starts.
    ENROLMENT_ENROL_SELF = "enrolment.enrol_self"
    #: Enrol someone below one in the manager tree.
    ENROLMENT_ENROL_SUBTREE = "enrolment.enrol_subtree"
    #: Approve or reject the requests of someone below one in the manager tree.
    ENROLMENT_APPROVE_SUBTREE = "enrolment.approve_subtree"
    #: Enrol, approve, reject and withdraw anyone, also after the run started; the
    #: change is recorded as made by HR.
    ENROLMENT_MANAGE_ALL = "enrolment.manage_all"
    #: Record that a person completed an activity or a course.
    COMPLETION_RECORD = "completion.record"
    #: Start an LMS sync and follow its runs.
    LMS_SYNC = "lms.sync"
    #: Be the LMS's own service account: completions pulled from the LMS are recorded
    #: in its name, and it may be held to the persisted operations.
    LMS_CLIENT = "lms.client"
    #: Set up leadership evaluation rounds: statements, dates, thresholds, who is asked;
    #: open, close, release and archive them. Gives no report and no answer.
    EVALUATION_MANAGE = "evaluation.manage"
    #: Read every leader's released evaluation report and HR's aggregate across leaders.
    EVALUATION_READ_ALL = "evaluation.read_all"
    #: Read one's own released report (and, as a chef, those of the leaders below one, as
    #: far up and as soon as the round says); propose peers for one's own evaluation.
    EVALUATION_READ_OWN = "evaluation.read_own"
    #: Approve or reject the peers a leader below one proposed.
    EVALUATION_APPROVE_PEERS = "evaluation.approve_peers"
    #: Take part in one's own dialogues (LUS): as the leader, or as the chef.
    DIALOGUE_TAKE_PART = "dialogue.take_part"
    #: Read, never change, the dialogues where one is the chef's own chef.
    DIALOGUE_OVERSEE = "dialogue.oversee"
    #: Read a single dialogue where its cycle allows it; every read is audited.
    DIALOGUE_READ_SINGLE = "dialogue.read_single"
    #: Set up dialogue cycles and role profiles; see the aggregate view and its downloads.
    DIALOGUE_ADMINISTER = "dialogue.administer"
    #: Run vacancies: job profiles, the question bank, guides, committees, candidates.
    RECRUITMENT_ADMINISTER = "recruitment.administer"
    #: Sit on a hiring committee or be a vacancy's hiring chef; membership decides the rest.
    RECRUITMENT_TAKE_PART = "recruitment.take_part"


C = Capability

ROLE_CAPABILITIES: Mapping[Role, frozenset[Capability]] = MappingProxyType(
    {
        Role.LEADER: frozenset(
            {
                C.PEOPLE_READ_SELF,
                C.ENROLMENT_ENROL_SELF,
                C.EVALUATION_READ_OWN,
                C.DIALOGUE_TAKE_PART,
                C.RECRUITMENT_TAKE_PART,
            }
        ),
        Role.CHEF: frozenset(
            {
                C.PEOPLE_READ_SELF,
                C.PEOPLE_READ_SUBTREE,
                C.PEOPLE_SEARCH,
                C.ENROLMENT_ENROL_SELF,
                C.ENROLMENT_ENROL_SUBTREE,
                C.ENROLMENT_APPROVE_SUBTREE,
                C.EVALUATION_READ_OWN,
                C.EVALUATION_APPROVE_PEERS,
                C.DIALOGUE_TAKE_PART,
                C.DIALOGUE_OVERSEE,
                C.RECRUITMENT_TAKE_PART,
            }
        ),
        Role.HR: frozenset(
            {
                C.CATALOGUE_CURATE,
                C.CATALOGUE_READ_DRAFTS,
                C.AUDIT_READ,
                C.PEOPLE_READ_SELF,
                C.PEOPLE_READ_ALL,
                C.PEOPLE_SEARCH,
                C.ENROLMENT_MANAGE_ALL,
                C.COMPLETION_RECORD,
                C.LMS_SYNC,
                C.EVALUATION_MANAGE,
                C.EVALUATION_READ_ALL,
                C.DIALOGUE_READ_SINGLE,
                C.DIALOGUE_ADMINISTER,
                C.RECRUITMENT_ADMINISTER,
                C.RECRUITMENT_TAKE_PART,
            }
        ),
        Role.LMS: frozenset(
            {C.PEOPLE_READ_SELF, C.PEOPLE_READ_ALL, C.COMPLETION_RECORD, C.LMS_CLIENT}
        ),
        Role.ADMIN: frozenset(
            {
                C.CATALOGUE_CURATE,
                C.CATALOGUE_READ_DRAFTS,
                C.AUDIT_READ,
                C.PEOPLE_READ_SELF,
                C.PEOPLE_READ_ALL,
                C.PEOPLE_SEARCH,
                C.PEOPLE_EXPORT_DATA,
                C.PEOPLE_ERASE,
                C.ENROLMENT_MANAGE_ALL,
                C.COMPLETION_RECORD,
                C.LMS_SYNC,
                C.EVALUATION_MANAGE,
                C.DIALOGUE_READ_SINGLE,
                C.DIALOGUE_ADMINISTER,
                C.RECRUITMENT_ADMINISTER,
                C.RECRUITMENT_TAKE_PART,
            }
        ),
    }
)


def capabilities_of(roles: Iterable[Role]) -> frozenset[Capability]:
    """Everything the roles together may do; a role without an entry may do nothing."""
    return frozenset[Capability]().union(
        *(ROLE_CAPABILITIES.get(role, frozenset()) for role in roles)
    )


def roles_with(*capabilities: Capability) -> frozenset[Role]:
    """The roles that grant at least one of ``capabilities``."""
    return frozenset(
        role for role, granted in ROLE_CAPABILITIES.items() if not granted.isdisjoint(capabilities)
    )


def danish_list(words: Iterable[str], *, conjunction: str = "eller") -> str:
    """``A``, ``A eller B``, ``A, B eller C``: sorted, so the text is stable."""
    ordered = sorted(words)
    if len(ordered) <= 1:
        return "".join(ordered)
    return f"{', '.join(ordered[:-1])} {conjunction} {ordered[-1]}"


def requirement(*capabilities: Capability) -> str:
    """``catalogue.curate (rollen ADMIN eller HR)``: what a guard asks for, in Danish."""
    roles = roles_with(*capabilities)
    holders = f"rollen {danish_list(roles)}" if roles else "ingen rolle giver den"
    return f"{danish_list(capabilities)} ({holders})"
