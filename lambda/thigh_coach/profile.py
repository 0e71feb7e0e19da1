"""What is remembered between sessions: routine progress and preferences, nothing else.

No symptom, answer or slot value ever goes in here; this is the whole of what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TTL_DAYS = 90  # stored items expire this long after their last write

# field -> is this stored value usable? (anything else falls back to the default)
_USABLE: dict[str, Callable[[Any], bool]] = {
    "last_visit": lambda v: isinstance(v, str) and len(v) == 10,
    "routine": lambda v: isinstance(v, str) and len(v) < 64,
    # [exercise, side code, repetitions done] ([exercise, step] before 2026-12-03)
    "place": lambda v: (isinstance(v, list) and len(v) in (2, 3)
                        and all(type(i) is int and 0 <= i < 1000 for i in v)),
    "hold_s": lambda v: type(v) is int and 10 <= v <= 60,
    "side": lambda v: v in ("left", "right"),
    "locale": lambda v: isinstance(v, str) and len(v) < 16,
    "reminder": lambda v: isinstance(v, str) and len(v) == 5 and v[2] == ":",
    "sounds": lambda v: type(v) is bool,
    "updated": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


class Profile:
    # A plain class, not a dataclass: the decorator costs about a millisecond of every cold
    # start, and this is the whole of what is stored.
    __slots__ = FIELDS = ("last_visit", "routine", "place", "hold_s", "side", "locale",
                          "reminder", "sounds", "updated")

    def __init__(self, *, last_visit: str | None = None, routine: str | None = None,
                 place: list[int] | None = None, hold_s: int | None = None,
                 side: str | None = None, locale: str | None = None,
                 reminder: str | None = None, sounds: bool | None = None,
                 updated: float = 0.0) -> None:
        self.last_visit = last_visit  # YYYY-MM-DD: a return visit gets a shorter welcome
        self.routine = routine  # the routine last used ("start my routine")
        self.place = place  # [exercise, side code, reps done] in `routine` where they stopped
        self.hold_s = hold_s  # preferred hold length, within safe bounds
        self.side = side  # "left" or "right": that side goes first
        self.locale = locale
        self.reminder = reminder  # HH:MM of the daily stretch reminder, if one was set
        self.sounds = sounds  # chimes at each hold's start and end; None: the default, on
        self.updated = updated  # when this changed (epoch seconds): older data never wins

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
            for name, usable in _USABLE.items():
                value = data.get(name)
                if value is not None and usable(value):
                    setattr(profile, name, value)
        return profile


FIELDS = Profile.FIELDS
