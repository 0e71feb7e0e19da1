"""The stored profile around a turn: read once per session, written only when it changed.

The profile rides in the session between turns, so a session reads the store once. A write
happens at the end of a turn whose profile differs from what was last saved. When the store
fails, the profile stays in the session, the user is told once, and the next turn tries again.
A conflicting write from another device is resolved by `updated`: older data never wins.
"""

from __future__ import annotations

import json
import logging
import time
import zlib
from dataclasses import fields

from ask_sdk_core.exceptions import PersistenceException

from ..profile import Profile
from ..storage import VERSION, WriteConflict

log = logging.getLogger(__name__)

# session keys
PROFILE, VERSION_SEEN, SAVED_HASH, TURN_HASH, LOADED, WARNED = "prof", "pv", "ph", "pt", "pl", "pw"


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
        session[LOADED] = 0
        session.setdefault(TURN_HASH, _hash(in_session))
        return in_session, False
    version = stored.pop(VERSION, 0)
    profile = Profile.from_dict(stored)
    session[SAVED_HASH] = _hash(profile)
    if PROFILE in session:  # an earlier read failed: what this session changed still counts
        _overlay(profile, in_session)
    session.update({VERSION_SEEN: version, LOADED: 1, PROFILE: profile.to_dict()})
    session.setdefault(TURN_HASH, session[SAVED_HASH])
    return profile, True


def _overlay(base: Profile, changes: Profile) -> None:
    default = Profile()
    for field in fields(Profile):
        value = getattr(changes, field.name)
        if value != getattr(default, field.name):
            setattr(base, field.name, value)


def save(handler_input, profile: Profile, *, now: float | None = None) -> bool:
    """Save the profile if it changed; False when the store failed (the user is warned)."""
    manager = handler_input.attributes_manager
    session = manager.session_attributes
    now = time.time() if now is None else now
    current = _hash(profile)
    if current != session.get(TURN_HASH):
        profile.updated = now  # when the change was made, not when it was saved
        session[TURN_HASH] = current
    session[PROFILE] = profile.to_dict()
    if session.get(LOADED) != 1:
        profile, ok = load(handler_input)  # retry the read first, so nothing stored is lost
        if not ok:
            return False
    if current == session.get(SAVED_HASH):
        return True
    for _ in range(2):  # a second try only after a conflict was resolved in our favour
        attributes = {**profile.to_dict(), VERSION: session.get(VERSION_SEEN, 0)}
        try:
            manager.persistent_attributes = attributes
            manager.save_persistent_attributes()
        except WriteConflict:
            newer = _resolve_conflict(handler_input, profile)
            if newer is None:
                return False
            if newer:
                return True
            continue
        except PersistenceException as exc:
            log.warning("profile write failed: %s", type(exc).__name__)
            return False
        session[VERSION_SEEN] = attributes[VERSION]
        session[SAVED_HASH] = current
        return True
    return False


def _resolve_conflict(handler_input, profile: Profile) -> bool | None:
    """Another device saved first. True: theirs is newer and now ours; False: retry ours."""
    manager = handler_input.attributes_manager
    session = manager.session_attributes
    try:
        stored = dict(manager._persistence_adapter.get_attributes(handler_input.request_envelope))
    except PersistenceException:
        return None
    session[VERSION_SEEN] = stored.pop(VERSION, 0)
    theirs = Profile.from_dict(stored)
    if theirs.updated > profile.updated:
        log.info("profile write lost to a newer one from another device")
        session[PROFILE] = theirs.to_dict()
        session[SAVED_HASH] = session[TURN_HASH] = _hash(theirs)
        return True
    return False


def delete(handler_input) -> bool:
    """Forget the user: the stored item and the profile in the session."""
    manager = handler_input.attributes_manager
    session = manager.session_attributes
    try:
        manager.delete_persistent_attributes()
    except PersistenceException as exc:
        log.warning("profile delete failed: %s", type(exc).__name__)
        return False
    for key in (PROFILE, VERSION_SEEN, SAVED_HASH, TURN_HASH):
        session.pop(key, None)
    session[LOADED] = 1
    session[SAVED_HASH] = session[TURN_HASH] = _hash(Profile())
    return True
