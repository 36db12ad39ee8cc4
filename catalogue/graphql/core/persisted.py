"""Persisted operations: the LMS's named queries, run by the SHA-256 hash of their text.

The documents live in ``graphql/operations/*.graphql`` (one named operation per
file) and are read once when the schema is built. A client sends Apollo's
convention instead of the query text::

    {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}},
     "variables": {...}}

where the hash is ``sha256`` of the file's bytes, so ``sha256sum`` lists them.
With ``CATALOGUE_LMS_PERSISTED_ONLY=true`` a viewer with the LMS role may run
only these documents (by hash, or by sending exactly the same text).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from strawberry.extensions import SchemaExtension

from catalogue.services.capabilities import Capability
from catalogue.settings import PROJECT_ROOT
from graphql import GraphQLError, OperationDefinitionNode, parse

OPERATIONS_DIR = PROJECT_ROOT / "graphql" / "operations"
PERSISTED_QUERY_VERSION = 1


class PersistedQueryCode(StrEnum):
    """Codes of the persisted-query protocol; the first two are Apollo's own."""

    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
    PERSISTED_QUERY_MISMATCH = "PERSISTED_QUERY_MISMATCH"
    PERSISTED_QUERY_REQUIRED = "PERSISTED_QUERY_REQUIRED"


class PersistedQueryError(GraphQLError):
    """Ends the request before parsing: the hash is unknown, malformed or required."""

    def __init__(self, code: PersistedQueryCode, message: str) -> None:
        super().__init__(message, extensions={"code": code.value})


@dataclass(frozen=True)
class PersistedOperation:
    name: str
    document: str
    sha256: str
    path: Path


def document_hash(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def _operation_name(path: Path, document: str) -> str:
    try:
        parsed = parse(document)
    except GraphQLError as exc:
        raise ValueError(f"{path}: ugyldigt GraphQL-dokument: {exc.message}") from exc
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].name is None:
        raise ValueError(f"{path}: filen skal indeholde præcis én navngiven operation")
    name = operations[0].name.value
    if name != path.stem:
        raise ValueError(f"{path}: operationen hedder {name}; filen skal hedde {name}.graphql")
    return name


class PersistedOperations(Mapping[str, PersistedOperation]):
    """The known documents by hash."""

    def __init__(self, operations: list[PersistedOperation]) -> None:
        self._by_hash = {operation.sha256: operation for operation in operations}

    @classmethod
    def from_directory(cls, directory: Path = OPERATIONS_DIR) -> PersistedOperations:
        """Every ``*.graphql`` file in ``directory``; a missing folder or bad file stops start."""
        if not directory.is_dir():
            raise ValueError(f"{directory}: mappen med de persisterede operationer findes ikke")
        operations = []
        for path in sorted(directory.glob("*.graphql")):
            raw = path.read_bytes()
            document = raw.decode("utf-8")
            operations.append(
                PersistedOperation(
                    name=_operation_name(path, document),
                    document=document,
                    sha256=hashlib.sha256(raw).hexdigest(),
                    path=path,
                )
            )
        return cls(operations)

    def __getitem__(self, sha256: str) -> PersistedOperation:
        return self._by_hash[sha256]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_hash)

    def __len__(self) -> int:
        return len(self._by_hash)

    def by_name(self) -> dict[str, PersistedOperation]:
        return {operation.name: operation for operation in self._by_hash.values()}


def _requested_hash(extensions: Mapping[str, Any] | None) -> str | None:
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, Mapping) or persisted.get("version") != PERSISTED_QUERY_VERSION:
        raise PersistedQueryError(
            PersistedQueryCode.PERSISTED_QUERY_NOT_SUPPORTED,
            "Kun persistedQuery version 1 med sha256Hash understøttes.",
        )
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not sha256:
        raise PersistedQueryError(
            PersistedQueryCode.PERSISTED_QUERY_NOT_SUPPORTED,
            "persistedQuery mangler sha256Hash (SHA-256 af dokumentets tekst, hex).",
        )
    return sha256.lower()


class PersistedOperationsExtension(SchemaExtension):
    """Swaps a known hash for its document before parsing; guards the LMS role."""

    def __init__(self, operations: PersistedOperations, *, lms_persisted_only: bool) -> None:
        self.operations = operations
        self.lms_persisted_only = lms_persisted_only

    def on_operation(self) -> Iterator[None]:
        self._resolve()
        yield

    def _resolve(self) -> None:
        context = self.execution_context
        sha256 = _requested_hash(context.operation_extensions)
        if sha256 is not None:
            operation = self.operations.get(sha256)
            if operation is None:
                raise PersistedQueryError(
                    PersistedQueryCode.PERSISTED_QUERY_NOT_FOUND,
                    f"Ukendt persisteret operation: {sha256}. "
                    "Brug en af operationerne i graphql/operations.",
                )
            if context.query and context.query != operation.document:
                raise PersistedQueryError(
                    PersistedQueryCode.PERSISTED_QUERY_MISMATCH,
                    "Forespørgslens tekst passer ikke til sha256Hash; send kun hashen.",
                )
            context.query = operation.document
            return
        if self._persisted_only_applies() and (
            not context.query or document_hash(context.query) not in self.operations
        ):
            raise PersistedQueryError(
                PersistedQueryCode.PERSISTED_QUERY_REQUIRED,
                "LMS-kontoen må kun køre de persisterede operationer i graphql/operations; "
                "send extensions.persistedQuery med operationens sha256Hash.",
            )

    def _persisted_only_applies(self) -> bool:
        if not self.lms_persisted_only:
            return False
        viewer = getattr(self.execution_context.context, "viewer", None)
        return viewer is not None and viewer.can(Capability.LMS_CLIENT)
