"""A miss is safe: whatever was not understood may have been a warning sign in words the model
lacks, so no "didn't understand" reply offers a stretch, and outside a routine it says what to do
in an emergency, in one short sentence."""

from __future__ import annotations

import re

import pytest

from helpers import Device, leads_a_step, to_first_hold

# words that offer or suggest a stretch or a routine
SUGGESTS_EXERCISE = re.compile(
    r"\b(stretch\w*|routine\w*|exercise\w*|hamstring stretches|strengthening|carry on|"
    r"shall we carry on|ready to go on)\b", re.IGNORECASE)


def get_into(device: Device, state: str) -> None:
    device.launch()
    if state == "mid-check":
        device.say("check my symptoms")
    elif state == "mid-explanation":
        device.say("tell me about sciatica")
    elif state == "after advice":
        device.intent("WarningClotIntent")
    elif state == "mid-routine":
        started = device.intent("StartRoutineIntent", routine=("hamstring stretches", "hamstring"))
        assert "Begin." in to_first_hold(device, started)


@pytest.mark.parametrize("state", ["home", "mid-check", "mid-explanation", "after advice"])
def test_a_miss_outside_a_routine_names_the_emergency_number_and_no_stretch(new_device, state):
    device = new_device()
    get_into(device, state)
    heard = device.intent("AMAZON.FallbackIntent")
    assert "didn't understand" in heard.speech
    assert "In an emergency, call 9 1 1." in heard.speech
    assert not SUGGESTS_EXERCISE.search(heard.speech + " " + heard.reprompt), heard.speech
    assert heard.listening and heard.reprompt.endswith("?")
    # one short sentence of safety: within the 20 s of any answer (150 words a minute)
    assert len(heard.speech.split()) <= 50


def test_a_miss_mid_routine_pauses_and_offers_no_stretch(new_device):
    device = new_device()
    get_into(device, "mid-routine")
    heard = device.intent("AMAZON.FallbackIntent")
    assert "paused" in heard.speech and "it hurts" in heard.speech
    assert not SUGGESTS_EXERCISE.search(heard.speech + " " + heard.reprompt), heard.speech
    # "yes" after a phrase we could not place does not start the stretch again, nor offer
    # one: the question just asked is asked again
    after = device.say("yes")
    assert not leads_a_step(after)
    assert not SUGGESTS_EXERCISE.search(after.speech + " " + after.reprompt), after.speech
    assert after.speech.endswith(heard.reprompt) and after.listening


@pytest.mark.parametrize("locale, number", [("en-GB", "9 9 9"), ("en-AU", "triple zero"),
                                            ("en-IN", "1 1 2")])
def test_the_number_is_the_locales_own(new_device, locale, number):
    device = new_device(locale=locale)
    device.launch()
    assert number in device.intent("AMAZON.FallbackIntent").speech


def test_in_read_aloud_mode_a_miss_suggests_no_stretch_either(new_device, monkeypatch):
    monkeypatch.setenv("SYMPTOM_CHECK", "read-aloud")
    device = new_device()
    device.launch()
    heard = device.intent("AMAZON.FallbackIntent")
    assert "In an emergency, call 9 1 1." in heard.speech
    assert not SUGGESTS_EXERCISE.search(heard.speech + " " + heard.reprompt), heard.speech


def test_a_line_the_nlu_cannot_place_is_heard_as_a_miss(new_device):
    device = new_device()
    device.launch()
    heard = device.say("the quarterly tax return is due on friday")
    assert "didn't understand" in heard.speech and "call 9 1 1" in heard.speech
