"""The skill, wired once at import: `thigh_coach.app.lambda_handler` is the Lambda entry point.

Configuration (environment):
- SKILL_ID: when set, requests for any other skill are rejected.
- TABLE_NAME: DynamoDB table for profiles; unset, an SQLite file (STORE_PATH) is used.
- CONTENT_DIR: where content/*.yaml lives; loaded and validated here, at cold start.
- LOG_LEVEL: INFO by default. In Lambda the template's LoggingConfig (JSON lines at its
  ApplicationLogLevel) sets the level instead.
"""

from __future__ import annotations

import json
import logging
import os

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope

from .alexa import session_guard
from .alexa.handlers import register
from .alexa.reminders import LazyApiClient
from .content import get_content
from .speech import speak
from .storage import store_from_env


def _configure_logging() -> None:
    """Only the level: the handler and its format (Lambda's JSON lines, or plain text) belong
    to whoever runs the function. With an ApplicationLogLevel, Lambda's runtime has already
    set the root logger (AWS_LAMBDA_LOG_LEVEL), and that setting wins."""
    if os.environ.get("AWS_LAMBDA_LOG_LEVEL"):
        return
    name = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
    level = logging.getLevelName("DEBUG" if name == "TRACE" else name)
    # an unknown name must not stop the cold start
    logging.getLogger().setLevel(level if isinstance(level, int) else logging.INFO)


_configure_logging()
log = logging.getLogger(__name__)


def build_skill(store=None):
    get_content()  # a broken content file fails here, at cold start, naming file and field
    # The API client reaches Alexa's service APIs (reminders) with the request's token.
    builder = CustomSkillBuilder(persistence_adapter=store or store_from_env(),
                                 api_client=LazyApiClient())
    skill_id: str | None = os.environ.get("SKILL_ID") or None
    builder.skill_id = skill_id  # type: ignore[assignment]  # the SDK types it as always None
    register(builder)
    return builder.create()


skill = build_skill()


def lambda_handler(event, context=None):
    try:
        envelope = skill.serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    except Exception as exc:  # not an Alexa request at all
        log.error("malformed request: %s", type(exc).__name__,
                  extra={"error": type(exc).__name__})
        return _malformed()
    if getattr(envelope, "request", None) is None:
        log.error("malformed request: no request")
        return _malformed()
    if getattr(envelope, "context", None) is None or envelope.context.system is None:
        log.error("malformed request: no context")  # the SDK reads it before any handler
        return _malformed()
    session_guard.clean_envelope(envelope)
    try:
        response = skill.invoke(request_envelope=envelope, context=context)
        return skill.serializer.serialize(response)
    except AskSdkException as exc:
        if "Skill ID Verification" in str(exc):
            log.warning("rejected a request for another skill")
            raise  # Alexa must not get an answer from the wrong skill
        log.error("skill failed: %s", type(exc).__name__, extra={"error": type(exc).__name__})
        return _malformed()
    except Exception as exc:  # noqa: BLE001 - outside the SDK's own error handler: never a crash
        log.error("skill failed: %s", type(exc).__name__, extra={"error": type(exc).__name__})
        return _malformed()


def _malformed() -> dict:
    return {"version": "1.0", "response": {
        "outputSpeech": {"type": "SSML", "ssml": speak(
            "Sorry, I couldn't understand that request. Please try again.")},
        "shouldEndSession": True}}
