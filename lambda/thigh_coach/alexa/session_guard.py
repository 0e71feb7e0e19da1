"""Session attributes come back from Alexa as the skill sent them, unless something is wrong:
an older version of the skill, a test tool, or tampering. Keep only the keys this skill
writes, each in the shape it expects; anything else is dropped, never echoed back (a large
foreign value would push the response over Alexa's 24 KB).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def _int(v: Any) -> bool:
    return type(v) is int and -2**63 <= v < 2**63


CHECKS: dict[str, Callable[[Any], bool]] = {
    # the conversation state: its fields are validated by Conversation.from_attributes
    "c": lambda v: isinstance(v, dict) and len(json.dumps(v, default=str)) <= 1024,
    "prof": lambda v: isinstance(v, dict) and len(json.dumps(v, default=str)) <= 1024,
    "pb": lambda v: isinstance(v, dict) and len(json.dumps(v, default=str)) <= 1024,
    "pv": lambda v: _int(v) and v >= -1, "ph": _int, "pt": _int,
    "pl": lambda v: v in (0, 1), "pw": lambda v: v in (0, 1),
}


def clean(session: dict) -> None:
    """Drop, in place, every attribute this skill did not write in a shape it can use."""
    for key in list(session):
        check = CHECKS.get(key)
        try:
            ok = check is not None and check(session[key])
        except (TypeError, ValueError, RecursionError):  # nested past any shape of ours
            ok = False
        if not ok:
            del session[key]


def clean_envelope(envelope: Any) -> None:
    """The same, on a request's session before the SDK deep-copies it: attributes nested past
    any shape of ours are dropped here, not met as a RecursionError inside the SDK."""
    session = getattr(envelope, "session", None)
    if session is not None and isinstance(session.attributes, dict):
        clean(session.attributes)
