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

from ask_sdk_core.exceptions import PersistenceException

from ..profile import FIELDS, Profile
from ..storage import VERSION, WriteConflict

log = logging.getLogger(__name__)

# session keys
PROFILE, VERSION_SEEN, SAVED_HASH, TURN_HASH, LOADED, WARNED = "prof", "pv", "ph", "pt", "pl", "pw"
BASE = "pb"  # the profile as last read from or written to the store
# request attribute (this turn only): the store failed once this turn, so it is not asked
# again until the next turn; two waits on a hanging store would outlast Alexa's patience
FAILED_THIS_TURN = "store_failed"
# changed every few turns: written when the session ends or pauses, not on every turn
DEFERRABLE = frozenset({"place", "last_visit", "locale", "updated"})


def _hash(profile: Profile) -> int:
    data = profile.to_dict()
    data.pop("updated", None)
    return zlib.crc32(json.dumps(data, sort_keys=True).encode())


def load(handler_input) -> tuple[Profile, bool]:
    """The profile for this turn, and whether the store answered (False: warn the user)."""
    session = handler_input.attributes_manager.session_attributes
    in_session = Profile.from_dict(session.get(PROFILE))
    if session.get(LOADED) == 1:
        return in_session, True
    try:
        stored = dict(handler_input.attributes_manager.persistent_attributes)
    except PersistenceException as exc:
        log.warning("profile read failed: %s", type(exc).__name__)
        handler_input.attributes_manager.request_attributes[FAILED_THIS_TURN] = True
        session[LOADED] = 0
        session.setdefault(TURN_HASH, _hash(in_session))
        return in_session, False
    version = stored.pop(VERSION, 0)
    profile = Profile.from_dict(stored)
    session[SAVED_HASH] = _hash(profile)
    session[BASE] = profile.to_dict()
    if PROFILE in session:  # an earlier read failed: this session started from defaults
        profile = merge(Profile(), in_session, profile)
    session.update({VERSION_SEEN: version, LOADED: 1, PROFILE: profile.to_dict()})
    session.setdefault(TURN_HASH, _hash(profile))
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
    session = manager.session_attributes
    now = time.time() if now is None else now
    current = _hash(profile)
    if current != session.get(TURN_HASH):
        profile.updated = now  # when the change was made, not when it was saved
        session[TURN_HASH] = current
    session[PROFILE] = profile.to_dict()
    if session.get(LOADED) != 1:
        if manager.request_attributes.get(FAILED_THIS_TURN):
            return False
        profile, ok = load(handler_input)  # retry the read first, so nothing stored is lost
        if not ok:
            return False
    if current == session.get(SAVED_HASH):
        return True
    if not flush:
        base = Profile.from_dict(session.get(BASE))
        if {f for f in FIELDS if getattr(profile, f) != getattr(base, f)} <= DEFERRABLE:
            return True  # kept in the session until it ends or pauses
    for _ in range(3):  # another device may write again between our read and our retry
        attributes = {**profile.to_dict(), VERSION: session.get(VERSION_SEEN, 0)}
        try:
            manager.persistent_attributes = attributes
            manager.save_persistent_attributes()
        except WriteConflict:
            merged = _merge_with_stored(handler_input, profile)
            if merged is None:
                return False
            profile = merged
            if _hash(profile) == session[SAVED_HASH]:
                return True  # theirs already holds everything: nothing left to write
            continue
        except PersistenceException as exc:
            log.warning("profile write failed: %s", type(exc).__name__)
            manager.request_attributes[FAILED_THIS_TURN] = True
            return False
        session[VERSION_SEEN] = attributes[VERSION]
        session[SAVED_HASH] = session[TURN_HASH] = _hash(profile)
        session[BASE] = session[PROFILE] = profile.to_dict()
        return True
    return False


def _merge_with_stored(handler_input, profile: Profile) -> Profile | None:
    """Another device saved first: read its profile and merge ours into it."""
    manager = handler_input.attributes_manager
    session = manager.session_attributes
    try:
        # The SDK's AttributesManager caches its one read and offers no public re-read, so
        # the store it was built with is asked directly.
        stored = dict(manager._persistence_adapter.get_attributes(handler_input.request_envelope))
    except PersistenceException:
        return None
    session[VERSION_SEEN] = stored.pop(VERSION, 0)
    theirs = Profile.from_dict(stored)
    merged = merge(Profile.from_dict(session.get(BASE)), profile, theirs)
    session[SAVED_HASH] = _hash(theirs)
    session[BASE] = theirs.to_dict()
    session[PROFILE] = merged.to_dict()
    session[TURN_HASH] = _hash(merged)
    return merged


def delete(handler_input) -> bool:
    """Forget the user: the stored item and the profile in the session."""
    manager = handler_input.attributes_manager
    session = manager.session_attributes
    try:
        manager.delete_persistent_attributes()
    except PersistenceException as exc:
        log.warning("profile delete failed: %s", type(exc).__name__)
        return False
    for key in (PROFILE, VERSION_SEEN, SAVED_HASH, TURN_HASH, BASE):
        session.pop(key, None)
    session[LOADED] = 1
    session[SAVED_HASH] = session[TURN_HASH] = _hash(Profile())
    return True
