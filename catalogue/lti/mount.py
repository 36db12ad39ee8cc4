"""Putting the LTI tool into the FastAPI app: its key, its routes, frame-ancestors."""

from __future__ import annotations

import structlog
from fastapi import FastAPI

from catalogue.lti import routes
from catalogue.lti.framing import install_framing
from catalogue.services.lti_keys import tool_key
from catalogue.settings import Settings

log = structlog.get_logger("catalogue.lti")


def install_lti(app: FastAPI, settings: Settings) -> None:
    """The routes always (they refuse in Danish when unconfigured); the key when set."""
    pem = settings.lti_key_pem()
    app.state.lti_tool_key = tool_key(pem) if pem else None
    if app.state.lti_tool_key is None:
        log.info("lti.disabled", hint="CATALOGUE_LTI_PRIVATE_KEY")
    app.include_router(routes.router)
    install_framing(app)
