"""The README's "What you can say" table says only what the skill understands (as a device hears)."""

from __future__ import annotations

import re

import pytest

from helpers import REPO, understanding


def phrases() -> list[str]:
    text = (REPO / "README.md").read_text()
    table = text[text.index("| you say | it does |"):]
    table = table[:table.index("\n\n")]
    out = []
    for row in table.splitlines()[2:]:
        said = row.split("|")[1]
        out += [p.strip() for p in re.split(r", ", said) if p.strip()]
    return out


PHRASES = phrases()


def test_the_table_is_read():
    assert len(PHRASES) > 60 and "check my symptoms" in PHRASES


@pytest.mark.parametrize("phrase", [p for p in PHRASES if p != "open thigh pain coach"])
def test_every_phrase_in_the_readme_is_understood(phrase):
    assert understanding("en-US").match(phrase).intent != "AMAZON.FallbackIntent", phrase
