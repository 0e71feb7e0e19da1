"""The APL document for devices with a screen: the exercise, its side and a countdown for each
hold, or the advice that replaces them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path


@cache
def apl_document() -> dict:
    return json.loads((Path(__file__).parent / "exercise_apl.json").read_text())


def apl_version() -> str:
    """The APL version the document is written for ("2023.2")."""
    return str(apl_document()["version"])


def version_key(version: object) -> tuple[int, ...] | None:
    """"2023.2" -> (2023, 2), "1.10" -> (1, 10); None for anything else."""
    if not isinstance(version, str):
        return None
    parts = version.strip().split(".")
    if not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def runtime_supports(max_version: object, needed: str) -> bool:
    """A device whose APL runtime goes up to `max_version` can show a `needed` document.
    A device that reports no version, or one we cannot read, gets nothing."""
    have, need = version_key(max_version), version_key(needed)
    return have is not None and need is not None and have >= need
