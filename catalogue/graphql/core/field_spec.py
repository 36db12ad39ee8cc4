"""Each exposed object's plain fields, read once from its Strawberry type.

A model-backed type declares its fields once, as annotations: mypy types them
and Strawberry turns them into the schema. Whatever else needs that list reads
it from here instead of writing it out again: ``ModelNode.from_model`` copies
the fields from the model, and the LMS page's fast path selects their columns
and encodes their values as GraphQL serialises them. A plain field is an
attribute of the same name on the model; a field with a resolver is not part
of the spec.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from functools import partial
from typing import Any

from strawberry.relay import to_base64
from strawberry.types.base import StrawberryOptional, get_object_definition
from strawberry.types.enum import StrawberryEnumDefinition
from strawberry.types.private import is_private
from strawberry.utils.str_converters import to_camel_case

#: The private field that gets the model object itself rather than one of its attributes.
MODEL_FIELD = "model"

#: A value as the model holds it -> the value GraphQL puts in the JSON response.
Encode = Callable[[Any], Any]


@dataclasses.dataclass(frozen=True)
class ScalarField:
    """One plain field: its GraphQL name, the attribute on the type and the model, its type."""

    name: str
    attribute: str
    type: Any
    #: ``None`` when the model's value is already what JSON gets (str, int, bool).
    encode: Encode | None
    #: False for a type ``encode`` does not know (the fast path then refuses the field).
    encodable: bool = True


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    """The exposed fields of one model-backed type, in declaration order (``id`` first)."""

    type_name: str
    #: What ``from_model`` passes to the type: the plain fields and the private ones.
    init: tuple[str, ...]
    #: The plain fields by GraphQL name; the global ``id`` is one of them.
    scalars: Mapping[str, ScalarField]


class UnsupportedFieldTypeError(ValueError):
    """A plain field of a type ``_encoder`` does not know (a custom scalar, say)."""


_SPECS: dict[type[Any], FieldSpec] = {}


def field_spec(cls: type[Any]) -> FieldSpec:
    """The spec of a ``@strawberry.type`` class backed by a model (read once per class)."""
    spec = _SPECS.get(cls)
    if spec is None:
        spec = _SPECS[cls] = _read_spec(cls)
    return spec


def _read_spec(cls: type[Any]) -> FieldSpec:
    definition = get_object_definition(cls, strict=True)
    init = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    scalars: dict[str, ScalarField] = {
        "id": ScalarField("id", "id", "ID", partial(to_base64, definition.name))
    }
    for field in definition.fields:
        if field.base_resolver is not None or field.python_name == "id":
            continue
        if is_private(field.type_annotation.annotation if field.type_annotation else None):
            continue
        name = field.graphql_name or to_camel_case(field.python_name)
        try:
            encode = _encoder(field.type)
        except UnsupportedFieldTypeError:
            scalars[name] = ScalarField(name, field.python_name, field.type, None, encodable=False)
        else:
            scalars[name] = ScalarField(name, field.python_name, field.type, encode)
    return FieldSpec(type_name=definition.name, init=init, scalars=scalars)


def _encoder(field_type: Any) -> Encode | None:
    """How GraphQL serialises a value of this type (as Strawberry's scalars and enums do)."""
    if isinstance(field_type, StrawberryOptional):
        inner = _encoder(field_type.of_type)
        return None if inner is None else partial(_optional, inner)
    if isinstance(field_type, StrawberryEnumDefinition):
        return _enum_name
    if field_type is float:
        return float  # GraphQL's Float gives 8.0, never 8
    if field_type in (datetime, date):
        return _isoformat
    if field_type in (str, int, bool):
        return None
    raise UnsupportedFieldTypeError(field_type)


def _optional(encode: Encode, value: Any) -> Any:
    return None if value is None else encode(value)


def _enum_name(value: Enum) -> str:
    return value.name


def _isoformat(value: date) -> str:
    return value.isoformat()
