"""The short confirmations a page shows after a form succeeded (post/redirect/get).

The redirect carries a key, never the text, so a link cannot make the page say
something of its own.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "logget-ud": "Du er logget ud.",
    "tilmeldt": "Du er tilmeldt holdet.",
    "anmodet": "Din tilmelding er sendt til godkendelse hos din chef.",
    "venteliste": "Holdet er fuldt; du er skrevet på ventelisten.",
    "afmeldt": "Du er afmeldt holdet.",
    "godkendt": "Tilmeldingen er godkendt.",
    "afvist": "Tilmeldingen er afvist, og lederen kan se begrundelsen.",
}


def message_for(key: str | None) -> str | None:
    return MESSAGES.get(key or "")
