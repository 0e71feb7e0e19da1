"""The APL document for devices with a screen: the exercise, the side, a countdown."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path


@cache
def apl_document() -> dict:
    return json.loads((Path(__file__).parent / "exercise_apl.json").read_text())
