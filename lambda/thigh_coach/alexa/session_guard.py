"""Session attributes come back from Alexa as the skill sent them, unless something is wrong:
an older version of the skill, a test tool, or tampering. Keep only the keys this skill
writes, each in the shape it expects; anything else is dropped, never echoed back (a large
foreign value would push the response over Alexa's 24 KB).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

MAX_DEPTH = 5  # the deepest value of ours: c -> k -> p -> place -> a number


def _depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deep a JSON value nests, counted no further than past `limit`."""
    if limit < 0 or not isinstance(value, dict | list):
        return 0
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(child, limit - 1) for child in children), default=0)


CHECKS: dict[str, Callable[[Any], bool]] = {
    # the session's one value: the conversation state and what it keeps of the store, each
    # field validated by Conversation.from_attributes and memory.Kept.from_attributes. Its
    # depth is checked first: the SDK deep-copies the attributes, and a value nested hundreds
    # deep would raise RecursionError there.
    "c": lambda v: (isinstance(v, dict) and _depth(v) <= MAX_DEPTH
                    and len(json.dumps(v, default=str)) <= 4096),
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
