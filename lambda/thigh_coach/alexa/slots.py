"""Slots as plain values: what was heard and, when entity resolution matched, its stable id."""

from __future__ import annotations

from typing import NamedTuple

MATCH = "ER_SUCCESS_MATCH"  # compared by value: no need to load the entity resolution models


class SlotValue(NamedTuple):
    heard: str | None  # never logged
    id: str | None  # the slot value's id when it resolved (ER_SUCCESS_MATCH), else None


def read_slots(intent) -> dict[str, SlotValue]:
    out: dict[str, SlotValue] = {}
    for name, slot in (getattr(intent, "slots", None) or {}).items():
        if slot is None:
            continue
        heard = slot.value if isinstance(slot.value, str) and slot.value.strip() else None
        out[name] = SlotValue(heard, _resolved_id(slot))
    return out


def _resolved_id(slot) -> str | None:
    resolutions = getattr(slot, "resolutions", None)
    for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
        status = getattr(getattr(authority, "status", None), "code", None)
        if getattr(status, "value", status) == MATCH and authority.values:
            value = authority.values[0].value
            if value is not None and isinstance(value.id, str):
                return value.id
    return None
