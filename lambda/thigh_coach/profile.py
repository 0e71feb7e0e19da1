"""What is remembered between sessions: routine progress and preferences, nothing else.

No symptom, answer or slot value ever goes in here; this is the whole of what is stored.
"""

from __future__ import annotations

from typing import Any

TTL_DAYS = 90  # stored items expire this long after their last write

# field -> (default, is this stored value usable?)
_FIELDS: dict[str, tuple[Any, Any]] = {
    # YYYY-MM-DD: a return visit gets a shorter welcome
    "last_visit": (None, lambda v: isinstance(v, str) and len(v) == 10),
    # the routine last used ("start my routine")
    "routine": (None, lambda v: isinstance(v, str) and len(v) < 64),
    # [exercise, step] in `routine` where the user stopped
    "place": (None, lambda v: (isinstance(v, list) and len(v) == 2
                               and all(type(i) is int and 0 <= i < 1000 for i in v))),
    # preferred hold length, within safe bounds
    "hold_s": (None, lambda v: type(v) is int and 10 <= v <= 60),
    # "left" or "right": that side goes first
    "side": (None, lambda v: v in ("left", "right")),
    "locale": (None, lambda v: isinstance(v, str) and len(v) < 16),
    # HH:MM of the daily stretch reminder, if one was set
    "reminder": (None, lambda v: isinstance(v, str) and len(v) == 5 and v[2] == ":"),
    # when this changed (epoch seconds): older data never wins
    "updated": (0.0, lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
}
FIELDS = tuple(_FIELDS)


class Profile:
    __slots__ = FIELDS

    def __init__(self, **values: Any) -> None:
        for name, (default, _) in _FIELDS.items():
            setattr(self, name, values.pop(name, default))
        if values:
            raise TypeError(f"unknown profile fields: {sorted(values)}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Profile) and all(
            getattr(self, f) == getattr(other, f) for f in FIELDS)

    def __repr__(self) -> str:
        return f"Profile({self.to_dict()})"

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in FIELDS if getattr(self, f) is not None}

    @classmethod
    def from_dict(cls, data: Any) -> Profile:
        """Tolerant: anything malformed in a stored item falls back to its default."""
        profile = cls()
        if isinstance(data, dict):
            for name, (_, usable) in _FIELDS.items():
                value = data.get(name)
                if value is not None and usable(value):
                    setattr(profile, name, value)
        return profile
