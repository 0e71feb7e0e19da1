"""Session attributes come back from Alexa as the skill sent them, unless something is wrong:
an older version of the skill, a test tool, or tampering. Keep only the keys this skill
writes, each in the shape it expects; anything else is dropped, never echoed back (a large
foreign value would push the response over Alexa's 24 KB).
"""

from __future__ import annotations

import json
import re
from typing import Any

_STATES = {"home", "triage", "result", "cause", "routine", "paused"}
_ID = re.compile(r"[a-z][a-z0-9_]{0,40}")


def _is_id(v: Any) -> bool:
    return isinstance(v, str) and bool(_ID.fullmatch(v))


def _small_list(v: Any, length: int) -> bool:
    return (isinstance(v, list) and 0 < len(v) <= length
            and all(isinstance(x, str | int | bool) and not isinstance(x, float) for x in v)
            and len(json.dumps(v)) <= 200)


def _int(v: Any) -> bool:
    return type(v) is int and -2**63 <= v < 2**63


CHECKS = {
    "st": lambda v: v in _STATES,
    "who": lambda v: v in ("self", "she", "he", "they"),
    "ta": lambda v: isinstance(v, str) and bool(re.fullmatch(r"[ynu]{0,24}", v)),
    "rf": _is_id,
    "cz": lambda v: (isinstance(v, list) and len(v) == 2 and _is_id(v[0]) and _int(v[1])),
    "offer": lambda v: _small_list(v, 2) and isinstance(v[0], str),
    "last": lambda v: _small_list(v, 4) and isinstance(v[0], str),
    "rt": lambda v: (isinstance(v, list) and len(v) == 3 and _is_id(v[0])
                     and all(_int(i) and 0 <= i < 1000 for i in v[1:])),
    "so": lambda v: v in ("left", "right"),
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
        except (TypeError, ValueError):
            ok = False
        if not ok:
            del session[key]
