"""Danish words for pylti1p3's refusals, which are English sentences, not codes.

Each known refusal is matched by the start of its message; anything else is the
general refusal, so no English text of the library reaches a person.
"""

from __future__ import annotations

from catalogue.web.pages import PageRefusedError

TITLE = "Åbningen fra LMS'et blev afvist"
_AGAIN = " Gå tilbage til kurset i LMS'et og åbn linket igen."

#: (start of pylti1p3's message, what we tell the person)
MESSAGES: tuple[tuple[str, str], ...] = (
    ("Could not find issuer", "LMS'et sendte ikke, hvem det er (iss mangler)."),
    ("Could not find login hint", "LMS'et sendte ikke, hvem brugeren er (login_hint mangler)."),
    (
        "Could not find registration",
        "LMS'et er ikke registreret som platform i kompetencekataloget (ukendt iss eller "
        "client_id). En administrator skal registrere det først.",
    ),
    (
        "Registration not found",
        "Tokenet er ikke udstedt til en registreret platform og klient (iss eller aud "
        "passer ikke med nogen registrering).",
    ),
    (
        "Client id not registered",
        "Tokenets modtager (aud) er ikke kompetencekatalogets klient-id hos platformen.",
    ),
    ("Missing state", "Svaret fra LMS'et mangler state."),
    (
        "State not found",
        "Svaret passer ikke til en login-start i denne browser (state-cookien mangler eller er "
        "en anden). Browseren kan blokere cookies i rammer; prøv at åbne linket i et nyt "
        "vindue.",
    ),
    ("Missing id_token", "Svaret fra LMS'et mangler id_token."),
    ("Invalid id_token", "id_token er ikke et JWT."),
    ("Invalid JWT format", "id_token kan ikke læses som JWT."),
    ('"nonce" is empty', "id_token mangler nonce."),
    (
        "Invalid Nonce",
        "id_token er brugt før eller hører ikke til en login-start herfra (nonce ukendt). "
        "Et token kan kun bruges én gang.",
    ),
    (
        "Can't decode id_token: Signature has expired",
        "id_token er udløbet (exp ligger i fortiden).",
    ),
    (
        "Can't decode id_token",
        "id_token er ikke underskrevet med platformens nøgle eller er ugyldigt.",
    ),
    (
        "Unable to find public key",
        "Platformens nøglesæt (JWKS) har ikke den nøgle, id_token er underskrevet med.",
    ),
    ("Error during fetch", "Platformens nøglesæt (JWKS) kunne ikke hentes."),
    ("deployment_id is not set", "id_token mangler deployment_id."),
    (
        "Unable to find deployment",
        "Tokenets deployment_id er ikke registreret for platformen.",
    ),
    ("Invalid message type", "id_token mangler message_type."),
    ("Unrecognized message type", "Kataloget kender ikke denne LTI-beskedtype."),
    ("Message validation failed", "LTI-beskeden mangler påkrævede felter."),
)


def danish_refusal(error: Exception) -> PageRefusedError:
    text = str(error)
    for start, message in MESSAGES:
        if text.startswith(start):
            return PageRefusedError(400, TITLE, message + _AGAIN)
    return PageRefusedError(400, TITLE, "LTI-åbningen kunne ikke bekræftes." + _AGAIN)
