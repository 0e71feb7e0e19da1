"""After advice to act on (emergency or the same day), the skill keeps to that action: no
self-treatment, "what should I do" repeats it, and "no" to hearing it again still ends
with it (docs/clinical-reference.md, "After same-day or emergency advice")."""

from __future__ import annotations

import pytest

from helpers import Device

CLOT = "my calf is swollen and hot"  # same-day advice: a possible clot
TODAY = "Get checked today: contact a doctor today, or an urgent care clinic."


@pytest.fixture
def advised(app):
    device = Device(app.lambda_handler)
    device.launch()
    heard = device.say(CLOT)
    assert "clot" in heard and heard.state.advice == "urgent"
    return device


@pytest.mark.parametrize("question", ["should i put heat on it", "can i massage it",
                                      "what painkillers can i take", "should i use a foam roller"])
def test_self_treatment_is_ruled_out_after_advice(advised, question):
    heard = advised.say(question)
    assert "don't treat this yourself" in heard and TODAY in heard, heard.speech
    assert heard.listening and heard.reprompt.endswith("?")


def test_what_should_i_do_repeats_the_action(advised):
    heard = advised.say("what should i do")
    assert TODAY in heard and heard.listening


def test_no_to_hearing_it_again_still_ends_with_the_action(advised):
    heard = advised.say("no")
    assert TODAY in heard and not heard.listening


def test_emergency_advice_ends_with_the_number(app):
    device = Device(app.lambda_handler)
    device.launch()
    heard = device.say("i can't breathe and my chest hurts")
    assert heard.state.advice == "emergency"
    heard = device.say("no")
    assert "Call 9 1 1 now." in heard and not heard.listening


def test_without_advice_the_common_question_is_answered(app):
    device = Device(app.lambda_handler)
    device.launch()
    heard = device.say("should i put heat on it")
    assert "don't treat this yourself" not in heard and "ice pack" in heard.speech
