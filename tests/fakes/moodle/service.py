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


@dataclass
class ServiceConfig:
    """Token, service user and the capabilities that shape Moodle's answers.

    ``assignable_role_ids`` stands for ``get_assignable_roles``: enrolling with
    any other role is ``wsusercannotassign``. Without ``sees_manager_fields``
    (``moodle/course:update``) courses come back without idnumber/timemodified.
    ``capabilities`` are the service user's ``moodle/competency:*`` capabilities;
    a missing one gives ``nopermissions`` (``required_capability_exception``).
    """

    token: str
    site_url: str
    user_id: int = 2
    username: str = "ws_kompetencekatalog"
    assignable_role_ids: set[int] = field(default_factory=lambda: {5})
    sees_manager_fields: bool = True
    allowed_functions: set[str] | None = None
    web_services_enabled: bool = True
    debug: bool = True
    max_input_vars: int = 1000
    implemented_functions: frozenset[str] = frozenset()
    capabilities: set[str] = field(default_factory=lambda: set(COMPETENCY_CAPABILITIES))

    def exposed_functions(self) -> frozenset[str]:
        """What the token's service offers: all implemented, or the allowed subset."""
        if self.allowed_functions is None:
            return self.implemented_functions
        return self.implemented_functions & self.allowed_functions
