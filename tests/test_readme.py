"""docs/what-you-can-say.md says only what the skill understands (as a device hears); the README
starts with the two commands."""

from __future__ import annotations

import re

import pytest

from helpers import REPO, understanding


def phrases() -> list[str]:
    text = (REPO / "docs" / "what-you-can-say.md").read_text()
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


def test_the_readme_is_a_front_door():
    readme = (REPO / "README.md").read_text()
    assert readme.splitlines()[3:5] == ["make chat    # sets up .venv, then talk to the skill in "
                                        "this terminal (embedded store)",
                                        "make test    # sets up .venv, then runs every test, the "
                                        "SAM build included"]
    assert len(readme.splitlines()) <= 110
    for link in re.findall(r"\]\(([^)#]+)\)", readme):
        if not link.startswith("http"):
            assert (REPO / link).exists(), link
