"""Every request kind a public skill must handle, through lambda_handler with real envelopes."""

from __future__ import annotations

import importlib
import logging

import pytest

import thigh_coach.dialog
from helpers import Device, event
from thigh_coach.speech import to_text


def test_first_launch_welcomes_gives_the_disclaimer_and_keeps_listening(device):
    heard = device.launch()
    assert "Welcome to Thigh Pain Coach" in heard
    assert "not medical advice" in heard
    assert "In an emergency, call 9 1 1" in heard
    assert "check your symptoms" in heard
    assert heard.listening and heard.reprompt


def test_return_visit_gets_a_shorter_welcome_with_the_disclaimer(device):
    first = device.launch()
    device.intent("AMAZON.StopIntent")
    again = device.launch()
    assert "Welcome back" in again
    assert "In an emergency, call 9 1 1" in again
    assert len(again.speech) < len(first.speech)


@pytest.mark.parametrize("locale, number", [
    ("en-US", "9 1 1"), ("en-GB", "9 9 9"), ("en-CA", "9 1 1"), ("en-AU", "triple zero"),
    ("en-IN", "1 1 2")])
def test_disclaimer_names_the_local_emergency_number(new_device, locale, number):
    assert f"call {number}" in new_device(locale=locale).launch().speech \
        or number in new_device(locale=locale).launch().speech


def test_a_recorded_launch_request_is_answered(app):
    response = app.lambda_handler(event("launch"), None)
    speech = response["response"]["outputSpeech"]["ssml"]
    assert "9 9 9" in speech  # the recorded request is from an en-GB device
    assert response["response"]["shouldEndSession"] is False


def test_help_explains_and_keeps_listening(device):
    device.launch()
    heard = device.say("what can I say")
    assert "yes or no questions" in heard and "stretches" in heard
    assert heard.listening and heard.reprompt


def test_a_recorded_help_request_is_answered(app):
    response = app.lambda_handler(event("help_intent"), None)
    assert "yes or no questions" in response["response"]["outputSpeech"]["ssml"]
    assert response["response"]["shouldEndSession"] is False


@pytest.mark.parametrize("phrase", ["stop", "cancel", "never mind", "I'm done"])
def test_stop_and_cancel_end_the_session(device, phrase):
    device.launch()
    heard = device.say(phrase)
    assert "Goodbye" in heard
    assert not heard.listening
    assert not heard.reprompt


def test_an_unmatched_phrase_says_what_it_can_do_and_keeps_listening(device):
    device.launch()
    heard = device.say("purple monkey dishwasher")
    assert device.sent[-1]["request"]["intent"]["name"] == "AMAZON.FallbackIntent"
    assert "didn't understand" in heard and "check my symptoms" in heard
    assert heard.listening and heard.reprompt


def test_an_intent_the_skill_does_not_know_is_answered_like_a_fallback(device):
    device.launch()
    heard = device.intent("SomeRetiredIntent")
    assert "didn't understand" in heard and heard.listening


def test_navigate_home_goes_back_to_the_menu(device):
    device.launch()
    heard = device.intent("AMAZON.NavigateHomeIntent")
    assert "back to the start" in heard and heard.listening


def test_repeat_says_the_last_thing_again_across_turns(device):
    device.launch()
    helped = device.say("help")
    again = device.say("say that again")
    assert again.speech == helped.speech
    # the recipe is plain data in the session, so a third turn still works (the sample bug)
    assert device.say("repeat").speech == helped.speech


def test_repeat_with_nothing_said_yet(device):
    heard = device.intent("AMAZON.RepeatIntent")
    assert "haven't said anything" in heard and heard.listening


def test_repeat_with_a_tampered_recipe_does_not_crash(device):
    device.launch()
    device.session.attributes["c"] = {"m": "home", "a": "what_next",
                                      "r": ["welcome", "a", "b", "c"]}
    heard = device.say("repeat")
    assert "haven't said anything" in heard and heard.listening


def test_session_ended_speaks_nothing(device):
    device.launch()
    heard = device.end("EXCEEDED_MAX_REPROMPTS")
    assert "outputSpeech" not in heard.body


def test_a_recorded_session_ended_request_speaks_nothing(app):
    response = app.lambda_handler(event("session_ended"), None)
    assert "outputSpeech" not in response["response"]


def test_an_unexpected_error_apologises_and_keeps_the_session_usable(device, monkeypatch):
    device.launch()

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(thigh_coach.dialog.Dialog, "help", broken)
    heard = device.say("help")
    assert "something went wrong" in heard and heard.listening and heard.reprompt
    monkeypatch.undo()
    assert "yes or no questions" in device.say("help")


def test_every_open_response_has_a_reprompt(device):
    for heard in (device.launch(), device.say("help"), device.say("blah blah"),
                  device.say("repeat"), device.say("main menu"),
                  device.say("I'm asking for my dad"), device.say("it's for me")):
        assert heard.listening and heard.reprompt, heard.speech


def test_a_malformed_request_gets_a_clear_answer(app):
    for bad in ({}, {"version": "1.0"}, {"request": "nonsense"}, {"session": 5}):
        response = app.lambda_handler(bad, None)
        heard = to_text(response["response"]["outputSpeech"]["ssml"])
        assert "couldn't understand that request" in heard


def test_requests_for_another_skill_are_rejected(monkeypatch, tmp_path):
    monkeypatch.setenv("STORE_PATH", str(tmp_path / "s.sqlite3"))
    monkeypatch.setenv("SKILL_ID", "amzn1.ask.skill.11111111-1111-1111-1111-111111111111")
    import thigh_coach.app

    app = importlib.reload(thigh_coach.app)
    try:
        stranger = Device(app.lambda_handler)
        with pytest.raises(Exception, match="Skill ID Verification"):
            stranger.launch()
        ours = Device(app.lambda_handler)
        ours.session.skill_id = "amzn1.ask.skill.11111111-1111-1111-1111-111111111111"
        assert "Welcome" in ours.launch()
    finally:
        monkeypatch.delenv("SKILL_ID")
        importlib.reload(thigh_coach.app)


def test_logs_name_requests_and_intents_but_never_what_was_said(device, caplog):
    caplog.set_level(logging.DEBUG)
    device.launch()
    device.say("I'm asking for my grandmother")
    device.say("tell me about gout")
    text = caplog.text
    assert "IntentRequest" in text and "CaregiverIntent" in text
    assert "grandmother" not in text and "gout" not in text


@pytest.mark.parametrize("locale, example", [
    ("en-US", "my mother"), ("en-CA", "my mother"), ("en-GB", "my mum"), ("en-AU", "my mum"),
    ("en-IN", "my mum")])
def test_help_uses_local_wording(new_device, locale, example):
    device = new_device(locale=locale)
    device.launch()
    assert f"I'm asking for {example}" in device.say("help")
