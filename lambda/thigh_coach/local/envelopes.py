"""Real Alexa request envelopes, as the Alexa service sends them to a skill.

Used by the terminal chat, the tests and the benchmark: one session keeps its id, user and
attributes across turns, exactly as a device's session does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

DEFAULT_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slot(name: str, heard: str | None, value_id: str | None = None, *,
         slot_type: str | None = None, resolved_name: str | None = None) -> dict:
    """A slot as Alexa sends it: with entity resolution for custom types."""
    out: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if heard is not None:
        out["value"] = heard
    if slot_type and not slot_type.startswith("AMAZON.") and heard is not None:
        authority = f"amzn1.er-authority.echo-sdk.{DEFAULT_SKILL_ID}.{slot_type}"
        if value_id is not None:
            resolution = {"authority": authority, "status": {"code": "ER_SUCCESS_MATCH"},
                          "values": [{"value": {"name": resolved_name or heard, "id": value_id}}]}
        else:
            resolution = {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
        out["resolutions"] = {"resolutionsPerAuthority": [resolution]}
    return out


@dataclass
class Session:
    """One user's session on one device."""

    locale: str = "en-US"
    user_id: str = field(default_factory=lambda: f"amzn1.ask.account.{uuid.uuid4().hex}")
    device_id: str = field(default_factory=lambda: f"amzn1.ask.device.{uuid.uuid4().hex}")
    skill_id: str = DEFAULT_SKILL_ID
    screen: bool = False
    session_id: str = field(default_factory=lambda: f"amzn1.echo-api.session.{uuid.uuid4()}")
    attributes: dict = field(default_factory=dict)
    new: bool = True
    api_token: str = "local-token"
    consent_token: str | None = None  # set when the user granted a permission (reminders)

    def restart(self) -> None:
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.attributes = {}
        self.new = True

    def envelope(self, request: dict) -> dict:
        interfaces: dict[str, Any] = {}
        if self.screen:
            interfaces["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": "2023.2"}}
        user: dict[str, Any] = {"userId": self.user_id}
        if self.consent_token:
            user["permissions"] = {"consentToken": self.consent_token}
        system = {
            "application": {"applicationId": self.skill_id},
            "user": user,
            "device": {"deviceId": self.device_id, "supportedInterfaces": interfaces},
            "apiEndpoint": "https://api.amazonalexa.com",
            "apiAccessToken": self.api_token,
        }
        envelope = {
            "version": "1.0",
            "session": {"new": self.new, "sessionId": self.session_id,
                        "application": {"applicationId": self.skill_id},
                        "attributes": self.attributes, "user": user},
            "context": {"System": system},
            "request": {"requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
                        "timestamp": _now(), "locale": self.locale, **request},
        }
        self.new = False
        return envelope

    def launch(self) -> dict:
        return self.envelope({"type": "LaunchRequest"})

    def intent(self, name: str, slots: dict[str, dict] | None = None) -> dict:
        return self.envelope({"type": "IntentRequest", "dialogState": "COMPLETED",
                              "intent": {"name": name, "confirmationStatus": "NONE",
                                         "slots": slots or {}}})

    def ended(self, reason: str = "USER_INITIATED") -> dict:
        return self.envelope({"type": "SessionEndedRequest", "reason": reason})

    def absorb(self, response: dict) -> None:
        """Carry the skill's answer into the next turn, as Alexa does."""
        self.attributes = response.get("sessionAttributes") or {}
        if response.get("response", {}).get("shouldEndSession") is not False:
            self.restart()
