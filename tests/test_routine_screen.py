"""The safety screen before a routine: in a session without a completed check, one short
question (a new injury in the last few days, new numbness or weakness, a swollen leg) comes
before the first routine; "yes" or "not sure" means no routine today, with the reason and a
check offered. Nothing about it is stored (docs/clinical-reference.md, "Before a routine")."""

from __future__ import annotations

import json

import pytest

from conftest import stored_items
from helpers import IN_POSITION, SCREEN, Device, leads_a_step, past_screen


@pytest.fixture
def device(app):
    d = Device(app.lambda_handler)
    d.launch()
    return d


def test_the_screen_comes_before_the_first_routine(device):
    heard = device.say("start the hamstring stretches")
    assert SCREEN in heard and not leads_a_step(heard)
    assert heard.reprompt.endswith("in the last few days?")
    started = device.say("no")
    assert "Starting the hamstring stretches" in started and started.speech.endswith(IN_POSITION)


@pytest.mark.parametrize("answer", ["yes", "not sure"])
def test_yes_or_not_sure_means_no_routine_today(device, answer):
    device.say("start the hamstring stretches")
    heard = device.say(answer)
    assert "no stretching today" in heard and not leads_a_step(heard)
    assert heard.speech.endswith("Would you like to check the symptoms now?")
    refused = device.say("start the gentle routine")
    assert "no stretching today: get it checked first" in refused and not leads_a_step(refused)
    assert SCREEN not in refused  # not asked again: the answer holds for the session


def test_asked_once_a_session(device):
    past_screen(device, device.say("start the hamstring stretches"))
    device.say("stop")
    device.launch()  # a new session asks again
    assert SCREEN in device.say("start the gentle routine")
    device.say("no")
    assert device.say("start the strengthening routine").speech.endswith(IN_POSITION)


def test_a_completed_check_stands_for_the_screen(device):
    device.say("check my symptoms")
    heard = None
    for _ in range(14):  # no to every warning sign and every question
        heard = device.say("no")
        if "Would you like to start the gentle routine?" in heard:
            break
    assert heard is not None and "gentle routine" in heard.speech
    started = device.say("yes")
    assert SCREEN not in started and started.speech.endswith(IN_POSITION)


def test_resuming_a_saved_place_is_screened_too(device):
    past_screen(device, device.say("start the hamstring stretches"))
    device.say("stop")
    welcome = device.launch()
    assert "Last time you stopped" in welcome.reprompt
    heard = device.say("yes")
    assert SCREEN in heard
    assert "Standing hamstring stretch" in device.say("no")


def test_the_answer_is_never_stored(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    device.launch()
    device.say("start the hamstring stretches")
    device.say("yes")
    device.say("stop")
    for item in stored_items():
        profile = json.loads(item["profile"]["S"])
        assert set(profile) <= {"last_visit", "routine", "place", "hold_s", "side", "locale",
                                "reminder", "updated"}
        assert "screen" not in item["profile"]["S"]


def test_read_aloud_says_the_screen_and_starts(monkeypatch, app):
    monkeypatch.setenv("SYMPTOM_CHECK", "read-aloud")
    device = Device(app.lambda_handler)
    device.launch()
    heard = device.say("start the hamstring stretches")
    assert heard.speech.startswith("Before you start: if you've had a new injury")
    assert heard.speech.endswith(IN_POSITION) and SCREEN not in heard
