"""The publish mode that asks nothing about the user's health (SYMPTOM_CHECK=read-aloud),
through lambda_handler: the warning signs are read with their actions, and causes, topics
and routines are offered by name."""

from __future__ import annotations

import pytest

from helpers import Device


@pytest.fixture
def quiet_device(monkeypatch, app):
    monkeypatch.setenv("SYMPTOM_CHECK", "read-aloud")
    return Device(app.lambda_handler)


def test_the_check_reads_the_warning_signs_instead_of_asking(quiet_device):
    device = quiet_device
    welcome = device.launch()
    assert "warning signs" in welcome and "check your symptoms" not in welcome
    first = device.say("check my symptoms")
    assert first.speech.startswith("Call 9 1 1 now for any of these:")
    assert first.speech.endswith("Shall I read the signs to get checked today?")
    second = device.say("yes")
    assert second.speech.startswith("Get checked today for one leg swollen")
    assert second.speech.endswith("?") and "Do you" not in second.speech


def test_a_one_shot_request_starts_with_the_disclaimer(quiet_device):
    heard = quiet_device.say("ask thigh pain coach to check my symptoms")
    assert heard.speech.startswith("General information, not medical advice.")


@pytest.mark.parametrize("intent, expected", [
    ("PainIntent", "If the pain is so bad you can't rest, sleep or think"),
    ("WarningFallIntent", "If you can't get up, call 9 1 1 now.")])
def test_no_question_about_the_body(quiet_device, intent, expected):
    quiet_device.launch()
    heard = quiet_device.intent(intent)
    assert expected in heard
    assert "Can you" not in heard.speech and "Is the pain" not in heard.speech


def test_the_questions_mode_is_the_default(device):
    device.launch()
    assert "Do you have numbness" in device.say("check my symptoms")


def test_the_menus_words_are_understood(quiet_device):
    quiet_device.launch()
    heard = quiet_device.say("the warning signs")
    assert heard.speech.startswith("Call 9 1 1 now for any of these:")
