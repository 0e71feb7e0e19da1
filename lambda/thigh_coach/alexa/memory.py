"""The stored profile around a turn: read once per session, written only when it changed.

The profile rides in the session between turns, so a session reads the store once. A turn
that changes a choice the user made (routine, hold, side, reminder) is written at once; the
place in a routine, the visit date and the locale change every few turns, so they are written
when the session ends (a goodbye, or Alexa's SessionEndedRequest after silence or when the
user leaves) or pauses. When the store fails, the profile stays in the session, the user is
told once, and the next turn tries again.

Another device of the same user may write in between. Then the two are merged field by field
against the base (the profile as this session last read or wrote it), a routine and its place
as one unit: a field only one side changed takes that change; a field both changed takes the
newer change (`updated`), so older data never overwrites newer.
"""

from __future__ import annotations

import json
import logging
import time
import zlib
from typing import Any

from ask_sdk_core.exceptions import PersistenceException

from ..profile import FIELDS, Profile
from ..storage import MAX_VERSION, VERSION, WriteConflict

log = logging.getLogger(__name__)

KEPT = "k"  # where the session's one value (state.SESSION_KEY) holds the Kept record
# request attribute (this turn only): the store failed once this turn, so it is not asked
# again until the next turn; two waits on a hanging store would outlast Alexa's patience
FAILED_THIS_TURN = "store_failed"
_KEPT_THIS_TURN = "kept"  # request attribute: the Kept record, read once per request
# changed every few turns: written when the session ends or pauses, not on every turn
DEFERRABLE = frozenset({"place", "last_visit", "locale", "updated"})
_LIMIT = 1024  # bytes of JSON a profile may take in the session


class Kept:
    """What the session keeps of the store between turns, declared in one place. It rides in
    the session's one value (under `k`); each field that is missing or malformed falls back
    to its default, so a tampered session costs at most one more read."""

    __slots__ = ("profile", "base", "version", "saved_hash", "turn_hash", "loaded", "warned")

    def __init__(self) -> None:
        self.profile: dict | None = None  # the profile as this session has it
        self.base: dict | None = None  # the profile as last read from or written to the store
        self.version = 0  # the stored item's version this session last saw
        self.saved_hash: int | None = None  # the stored profile's hash
        self.turn_hash: int | None = None  # the profile's hash when it last changed
        self.loaded: bool | None = None  # the store was read (False: the read failed)
        self.warned = False  # the user was told the store is unavailable

    def to_attributes(self) -> dict[str, Any]:
        out: dict[str, Any] = {"v": self.version, "w": int(self.warned)}
        if self.profile is not None:
            out["p"] = self.profile
        if self.base is not None:
            out["b"] = self.base
        if self.saved_hash is not None:
            out["sh"] = self.saved_hash
        if self.turn_hash is not None:
            out["th"] = self.turn_hash
        if self.loaded is not None:
            out["l"] = int(self.loaded)
        return out

    @classmethod
    def from_attributes(cls, data: Any) -> Kept:
        kept = cls()
        if not isinstance(data, dict):
            return kept
        for key, name in (("p", "profile"), ("b", "base")):
            value = data.get(key)
            if isinstance(value, dict) and _small(value):
                setattr(kept, name, value)
        version = data.get("v")
        if type(version) is int and -1 <= version <= MAX_VERSION:  # as the store allows
            kept.version = version
        for key, name in (("sh", "saved_hash"), ("th", "turn_hash")):
            if _int(data.get(key)):
                setattr(kept, name, data[key])
        if data.get("l") in (0, 1):
            kept.loaded = data["l"] == 1
        kept.warned = data.get("w") == 1
        return kept


def _int(value: Any) -> bool:
    return type(value) is int and -2**63 <= value < 2**63


def _small(value: dict) -> bool:
    try:
        return len(json.dumps(value, default=str)) <= _LIMIT
    except (TypeError, ValueError, RecursionError):
        return False


def kept(handler_input) -> Kept:
    """This request's Kept record, read from the session once."""
    request = handler_input.attributes_manager.request_attributes
    if _KEPT_THIS_TURN not in request:
        from ..state import SESSION_KEY

        value = handler_input.attributes_manager.session_attributes.get(SESSION_KEY)
        request[_KEPT_THIS_TURN] = Kept.from_attributes(
            value.get(KEPT) if isinstance(value, dict) else None)
    record: Kept = request[_KEPT_THIS_TURN]
    return record


def _hash(profile: Profile) -> int:
    data = profile.to_dict()
    data.pop("updated", None)
    return zlib.crc32(json.dumps(data, sort_keys=True).encode())


def load(handler_input) -> tuple[Profile, bool]:
    """The profile for this turn, and whether the store answered (False: warn the user)."""
    k = kept(handler_input)
    in_session = Profile.from_dict(k.profile)
    if k.loaded:
        return in_session, True
    try:
        stored = dict(handler_input.attributes_manager.persistent_attributes)
    except PersistenceException as exc:
        log.warning("profile read failed: %s", type(exc).__name__)
        handler_input.attributes_manager.request_attributes[FAILED_THIS_TURN] = True
        k.loaded = False
        if k.turn_hash is None:
            k.turn_hash = _hash(in_session)
        return in_session, False
    version = stored.pop(VERSION, 0)
    profile = Profile.from_dict(stored)
    k.saved_hash = _hash(profile)
    k.base = profile.to_dict()
    if k.profile is not None:  # an earlier read failed: this session started from defaults
        profile = merge(Profile(), in_session, profile)
    k.version, k.loaded, k.profile = version, True, profile.to_dict()
    if k.turn_hash is None:
        k.turn_hash = _hash(profile)
    return profile, True


# Fields that mean something only together: a place is a place in its routine, so the two
# are merged as one (field by field, one device's routine got the other's place)
UNITS: tuple[tuple[str, ...], ...] = (("routine", "place"),)
# every field merged, each in its unit (`updated` is the newer of the two, not merged)
_MERGED = (*UNITS, *((name,) for name in FIELDS
                     if name != "updated" and not any(name in unit for unit in UNITS)))


def merge(base: Profile, ours: Profile, theirs: Profile) -> Profile:
    """Three-way merge by field (by unit, for fields that belong together); where both sides
    changed one, the newer change wins."""
    merged = Profile()
    for unit in _MERGED:
        was, mine, other = ([getattr(p, n) for n in unit] for p in (base, ours, theirs))
        if mine != was and other != was:
            values = mine if ours.updated >= theirs.updated else other
        else:
            values = mine if mine != was else other
        for name, value in zip(unit, values, strict=True):
            setattr(merged, name, value)
    merged.updated = max(ours.updated, theirs.updated)
    return merged


def save(handler_input, profile: Profile, *, now: float | None = None,
         flush: bool = False) -> bool:
    """Save the profile if it changed (`flush`: the session is ending or pausing, so changes
    that could wait are written too); False when the store failed (the user is warned)."""
    manager = handler_input.attributes_manager
    k = kept(handler_input)
    now = time.time() if now is None else now
    current = _hash(profile)
    if current != k.turn_hash:
        profile.updated = now  # when the change was made, not when it was saved
        k.turn_hash = current
    k.profile = profile.to_dict()
    if not k.loaded:
        if manager.request_attributes.get(FAILED_THIS_TURN):
            return False
        profile, ok = load(handler_input)  # retry the read first, so nothing stored is lost
        if not ok:
            return False
    if current == k.saved_hash:
        return True
    if not flush:
        base = Profile.from_dict(k.base)
        if {f for f in FIELDS if getattr(profile, f) != getattr(base, f)} <= DEFERRABLE:
            return True  # kept in the session until it ends or pauses
    for _ in range(3):  # another device may write again between our read and our retry
        attributes = {**profile.to_dict(), VERSION: k.version}
        try:
            manager.persistent_attributes = attributes
            manager.save_persistent_attributes()
        except WriteConflict:
            merged = _merge_with_stored(handler_input, profile)
            if merged is None:
                return False
            profile = merged
            if _hash(profile) == k.saved_hash:
                return True  # theirs already holds everything: nothing left to write
            continue
        except PersistenceException as exc:
            log.warning("profile write failed: %s", type(exc).__name__)
            manager.request_attributes[FAILED_THIS_TURN] = True
            return False
        k.version = attributes[VERSION]
        k.saved_hash = k.turn_hash = _hash(profile)
        k.base = k.profile = profile.to_dict()
        return True
    return False


def _merge_with_stored(handler_input, profile: Profile) -> Profile | None:
    """Another device saved first: read its profile and merge ours into it."""
    manager = handler_input.attributes_manager
    k = kept(handler_input)
    try:
        # The SDK's AttributesManager caches its one read and offers no public re-read, so
        # the store it was built with is asked directly.
        stored = dict(manager._persistence_adapter.get_attributes(handler_input.request_envelope))
    except PersistenceException:
        return None
    k.version = stored.pop(VERSION, 0)
    theirs = Profile.from_dict(stored)
    merged = merge(Profile.from_dict(k.base), profile, theirs)
    k.saved_hash = _hash(theirs)
    k.base = theirs.to_dict()
    k.profile = merged.to_dict()
    k.turn_hash = _hash(merged)
    return merged


def delete(handler_input) -> bool:
    """Forget the user: the stored item and the profile in the session."""
    manager = handler_input.attributes_manager
    try:
        manager.delete_persistent_attributes()
    except PersistenceException as exc:
        log.warning("profile delete failed: %s", type(exc).__name__)
        return False
    k = kept(handler_input)
    k.profile = k.base = None
    k.version, k.loaded = 0, True
    k.saved_hash = k.turn_hash = _hash(Profile())
    return True
