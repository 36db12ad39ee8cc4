"""How the site's external service is set up for the catalogue's token."""

from __future__ import annotations

from dataclasses import dataclass, field

#: The competency capabilities a catalogue service user needs (moodle/competency:*).
COMPETENCY_CAPABILITIES = frozenset(
    {
        "moodle/competency:competencyview",
        "moodle/competency:competencymanage",
        "moodle/competency:coursecompetencyview",
        "moodle/competency:coursecompetencymanage",
    }
)

#: Module types whose plugin defines ``mod/<type>:view`` in its db/access.php (Moodle 4.4 and
#: 4.5 core; chat, choice and label were missing here until a real Moodle showed them).
#: ``cm_info::is_user_access_restricted_by_capability`` hides a module of these types from a
#: user without the capability; types without one (scorm, forum, book...) are never hidden.
#: A real site grants the view capabilities of chat, choice, folder, imscp, label, lesson, page,
#: resource and url to every authenticated user by default; the simulator's service user has
#: exactly the capabilities it is given.
VIEW_CAPABILITY_MODULES = frozenset(
    {
        "assign",
        "bigbluebuttonbn",
        "chat",
        "choice",
        "data",
        "feedback",
        "folder",
        "glossary",
        "h5pactivity",
        "imscp",
        "label",
        "lesson",
        "lti",
        "page",
        "quiz",
        "resource",
        "url",
        "workshop",
    }
)
#: What the README's role grants: every module type's view capability.
MODULE_VIEW_CAPABILITIES = frozenset(f"mod/{name}:view" for name in VIEW_CAPABILITY_MODULES)


@dataclass
class ServiceConfig:
    """Token, service user and the capabilities that shape Moodle's answers.

    ``assignable_role_ids`` stands for ``get_assignable_roles``: enrolling with
    any other role is ``wsusercannotassign``. Without ``sees_manager_fields``
    (``moodle/course:update``) courses come back without idnumber/timemodified.
    ``capabilities`` are the service user's ``moodle/competency:*`` capabilities
    (a missing one gives ``nopermissions``, ``required_capability_exception``) and
    its ``mod/<type>:view`` ones (a missing one hides that type's modules, see
    ``can_see_module``). ``role_in_system_context`` False stands for the role
    assigned only in a category: ``webservice/rest:use`` is then missing in the
    system context, where ``webservice_server::authenticate_user`` checks it.
    A token past ``token_valid_until`` is deleted by the first call after it, which
    Moodle answers ``accessexception``; every call after is ``invalidtoken``.
    """

    token: str
    site_url: str
    user_id: int = 2
    username: str = "ws_kompetencekatalog"
    assignable_role_ids: set[int] = field(default_factory=lambda: {5})
    sees_manager_fields: bool = True
    allowed_functions: set[str] | None = None
    web_services_enabled: bool = True
    #: Moodle's debugging display: off on a fresh site, whose errors then carry no debuginfo.
    debug: bool = False
    max_input_vars: int = 1000
    implemented_functions: frozenset[str] = frozenset()
    capabilities: set[str] = field(
        default_factory=lambda: set(COMPETENCY_CAPABILITIES | MODULE_VIEW_CAPABILITIES)
    )
    role_in_system_context: bool = True
    #: The token's ``validuntil`` (Unix time); ``None`` never expires. Moodle's token form
    #: sets it 30 days ahead by default.
    token_valid_until: float | None = None

    def can_see_module(self, modname: str) -> bool:
        """``cm_info::uservisible`` for the service user, as far as capabilities decide it."""
        return modname not in VIEW_CAPABILITY_MODULES or f"mod/{modname}:view" in self.capabilities

    def exposed_functions(self) -> frozenset[str]:
        """What the token's service offers: all implemented, or the allowed subset."""
        if self.allowed_functions is None:
            return self.implemented_functions
        return self.implemented_functions & self.allowed_functions
