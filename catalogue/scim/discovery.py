"""What the service provider publishes about itself: config, resource types, schemas.

The schemas are the standard ones cut down to the attributes the catalogue stores,
so a client (and a compliance checker) sends and expects exactly those: a User's
userName, name, displayName, title, active, emails and groups, the enterprise
extension's employeeNumber, department and manager; a Group's displayName and
members. ``emails`` is required here (a person's e-mail is how they log in), and so
is ``active`` (a person is active or a leaver, never neither). A manager and a
member are their ids only: their names are the people's own, not the client's.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    EnterpriseUser,
    ETag,
    Filter,
    Group,
    Meta,
    Patch,
    Required,
    ResourceType,
    Schema,
    ServiceProviderConfig,
    Sort,
    User,
)
from scim2_models.resources.schema import Attribute

#: The standard User model with the enterprise extension: what requests are read as.
ScimUser = User[EnterpriseUser]

USER_ATTRIBUTES: dict[str, tuple[str, ...] | None] = {
    "userName": None,
    "name": ("formatted", "familyName", "givenName"),
    "displayName": None,
    "title": None,
    "active": None,
    "emails": ("value", "type", "primary"),
    "groups": ("value", "$ref", "display"),
}
ENTERPRISE_ATTRIBUTES: dict[str, tuple[str, ...] | None] = {
    "employeeNumber": None,
    "department": None,
    "manager": ("value", "$ref"),
}
GROUP_ATTRIBUTES: dict[str, tuple[str, ...] | None] = {
    "displayName": None,
    "members": ("value", "$ref"),
}
REQUIRED = frozenset({"userName", "emails", "emails.value", "displayName", "active"})


def _cut(schema: Schema, keep: dict[str, tuple[str, ...] | None], location: str) -> Schema:
    attributes: list[Attribute] = []
    for attribute in schema.attributes or []:
        if attribute.name not in keep:
            continue
        subs = keep[attribute.name]
        update: dict[str, Any] = {}
        if subs is not None:
            update["sub_attributes"] = [
                sub.model_copy(update={"required": Required.true})
                if f"{attribute.name}.{sub.name}" in REQUIRED
                else sub
                for sub in attribute.sub_attributes or []
                if sub.name in subs
            ]
        if attribute.name in REQUIRED:
            update["required"] = Required.true
        attributes.append(attribute.model_copy(update=update))
    meta = schema.meta.model_copy(update={"location": location}) if schema.meta else None
    return schema.model_copy(update={"attributes": attributes, "meta": meta})


@cache
def schemas(base_url: str) -> tuple[Schema, ...]:
    """Every schema /Schemas lists, the mandatory discovery schemas included."""

    def at(schema_id: str) -> str:
        return f"{base_url}/Schemas/{schema_id}"

    user, enterprise, group = User.to_schema(), EnterpriseUser.to_schema(), Group.to_schema()
    published = [
        _cut(user, USER_ATTRIBUTES, at(str(user.id))),
        _cut(enterprise, ENTERPRISE_ATTRIBUTES, at(str(enterprise.id))),
        _cut(group, GROUP_ATTRIBUTES, at(str(group.id))),
    ]
    for model in (ServiceProviderConfig, ResourceType, Schema):
        schema = model.to_schema()
        meta = (
            schema.meta.model_copy(update={"location": at(str(schema.id))}) if schema.meta else None
        )
        published.append(schema.model_copy(update={"meta": meta}))
    return tuple(published)


@cache
def resource_types(base_url: str) -> tuple[ResourceType, ...]:
    users = ResourceType.from_resource(ScimUser)
    groups = ResourceType.from_resource(Group)
    return tuple(
        rt.model_copy(
            update={
                "meta": (rt.meta or _meta("ResourceType")).model_copy(
                    update={"location": f"{base_url}/ResourceTypes/{rt.id}"}
                )
            }
        )
        for rt in (users, groups)
    )


def _meta(resource_type: str) -> Meta:
    return Meta(resource_type=resource_type)


@cache
def service_provider_config(base_url: str, max_results: int) -> ServiceProviderConfig:
    return ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=max_results),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer-token",
                description="Provisioneringsklientens eget token (CATALOGUE_SCIM_TOKEN).",
                primary=True,
            )
        ],
        meta=_meta("ServiceProviderConfig").model_copy(
            update={"location": f"{base_url}/ServiceProviderConfig"}
        ),
    )
