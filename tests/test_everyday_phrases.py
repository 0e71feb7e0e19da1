"""Everyday speech never reaches a warning sign or a side choice.

A sample such as "wait {symptom}" or "do {side}" used to catch "wait a minute" and "do I need an
MRI": a routine was abandoned with emergency wording, or "Okay, both sides". These phrases go
through both stages of the local NLU, as the chat hears them, and the grammar alone, in every
locale.
"""

from __future__ import annotations

import pytest

from helpers import matcher, understanding
from thigh_coach.alexa.handlers import WARNING_SIGNS
from thigh_coach.content import get_content
from thigh_coach.model import locales

EVERYDAY = [
    "wait a minute", "wait", "hold on", "hang on", "hang on a sec", "hang on a second",
    "just a moment", "one sec", "give me a second", "help me", "help", "help please",
    "actually no", "actually yes", "actually", "actually I'm fine", "but why", "but what about",
    "but I don't understand", "also", "also what about the stretches", "do I need an MRI",
    "do I need a scan", "do it again", "do you know", "do the next one", "do that again",
    "okay", "ok", "okay then", "alright", "thanks", "thank you", "what do you mean",
    "what was that", "sorry what", "I don't know", "I'm not sure", "maybe", "no thanks",
    "yes please", "not now", "I'm fine", "I'm okay", "that's fine", "all good", "never mind",
    "hmm", "um", "right", "so what now", "and then", "what", "wait what", "hold on a minute",
    "is that right", "I think so", "I think I'm okay", "let me think", "can you repeat that",
    "go on", "next", "done", "I'm back", "what's next", "she's fine", "he says okay",
    "she says yes", "her leg is fine", "my mum is here", "the next one", "the other one",
    "just checking", "just kidding", "let's do it", "only joking", "both of us", "my turn",
]
FORBIDDEN = {*WARNING_SIGNS, "WarningFallIntent", "CallForHelpIntent", "SideIntent",
             "SoreSideIntent", "SideOnlyIntent"}


def test_the_list_is_long_enough():
    assert len(set(EVERYDAY)) >= 40


@pytest.mark.parametrize("locale", locales(get_content()))
@pytest.mark.parametrize("stage", ["exact", pytest.param("statistical", marks=pytest.mark.slow)])
def test_everyday_phrases_reach_no_warning_sign_and_no_side(locale, stage):
    hear = matcher(locale) if stage == "exact" else understanding(locale)
    wrong = {p: hear.match(p).intent for p in EVERYDAY if hear.match(p).intent in FORBIDDEN}
    assert not wrong, wrong
