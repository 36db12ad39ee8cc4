"""The chef's pages: the team's progress, the approvals queue, a team member."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
