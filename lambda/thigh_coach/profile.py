"""What is remembered between sessions: routine progress and preferences, nothing else.

No symptom, answer or slot value ever goes in here; this is the whole of what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

TTL_DAYS = 90  # stored items expire this long after their last write

# field -> is this stored value usable? (anything else falls back to the default)
_USABLE: dict[str, Callable[[Any], bool]] = {
    "last_visit": lambda v: isinstance(v, str) and len(v) == 10,
    "routine": lambda v: isinstance(v, str) and len(v) < 64,
    "place": lambda v: (isinstance(v, list) and len(v) == 2
                        and all(type(i) is int and 0 <= i < 1000 for i in v)),
    "hold_s": lambda v: type(v) is int and 10 <= v <= 60,
    "side": lambda v: v in ("left", "right"),
    "locale": lambda v: isinstance(v, str) and len(v) < 16,
    "reminder": lambda v: isinstance(v, str) and len(v) == 5 and v[2] == ":",
    "updated": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


@dataclass(slots=True)
class Profile:
    last_visit: str | None = None  # YYYY-MM-DD: a return visit gets a shorter welcome
    routine: str | None = None  # the routine last used ("start my routine")
    place: list[int] | None = None  # [exercise, step] in `routine` where the user stopped
    hold_s: int | None = None  # preferred hold length, within safe bounds
    side: str | None = None  # "left" or "right": that side goes first
    locale: str | None = None
    reminder: str | None = None  # HH:MM of the daily stretch reminder, if one was set
    updated: float = 0.0  # when this changed (epoch seconds): older data never wins

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in FIELDS if getattr(self, f) is not None}

    @classmethod
    def from_dict(cls, data: Any) -> Profile:
        """Tolerant: anything malformed in a stored item falls back to its default."""
        profile = cls()
        if isinstance(data, dict):
            for name, usable in _USABLE.items():
                value = data.get(name)
                if value is not None and usable(value):
                    setattr(profile, name, value)
        return profile


FIELDS = tuple(f.name for f in fields(Profile))
