"""What a user says about their health stays in the session: never stored, never logged."""

from __future__ import annotations

import json
import logging

from conftest import stored_items
from helpers import Device, past_screen
from thigh_coach.content import get_content

CONTENT = get_content()

# Everything below is said during the conversations; none of it may be stored or logged.
SAID_ABOUT_HEALTH = [
    "I'm asking for my grandmother", "yes it is", "no not really", "I'm not sure",
    "I don't know", "my leg is swollen and hot", "I can't control my bladder",
    "I felt a pop", "the pain wakes me at night", "what causes pain behind my knee",
    "why does it hurt when I sit", "what is piriformis syndrome", "tell me about gout",
    "that hurts", "I have chest pain"]
SENTINELS = ["grandmother", "yes it is", "not really", "not sure", "don't know", "swollen",
             "bladder", "felt a pop", "wakes me", "behind my knee", "hurt when i sit",
             "piriformis syndrome", "gout", "that hurts", "chest pain",
             # what the answers and flags become inside the skill
             "cauda_equina", "deep_vein", "pulmonary", "weakness_or_tear", "tendinopathy",
             "above_knee", "lumbar_referred", '"ta"', "'ta'", '"sg"', '"w"', "red_flag",
             "see_doctor", "fresh_strain", "sharp_pain"]


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def converse(device: Device) -> None:
    device.launch()
    device.say("I'm asking for my grandmother")
    device.say("check my symptoms")
    for answer in ["no", "no not really", "I'm not sure", "no", "no", "no", "yes it is",
                   "yes", "I don't know", "no", "yes", "no", "yes"]:
        device.say(answer)
    device.say("tell me more")
    device.say("it's for me")
    for phrase in ["what causes pain behind my knee", "why does it hurt when I sit",
                   "what is piriformis syndrome", "tell me about gout"]:
        device.say(phrase)
    past_screen(device, device.say("start the sciatica routine"))
    device.say("next")
    device.say("that hurts")
    device.say("no")
    device.say("make the holds longer")
    device.say("my left thigh hurts")
    device.say("stop")
    device.launch()
    device.say("check my symptoms")
    device.say("I felt a pop")
    device.say("I can't control my bladder")
    device.say("my leg is swollen and hot")
    device.say("I have chest pain")
    device.say("stop")


def test_nothing_said_about_health_is_stored_or_logged(dynamo_app):
    root = logging.getLogger()
    handler = Everything()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        device = Device(dynamo_app.lambda_handler)
        converse(device)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    assert any("IntentRequest" in line for line in handler.lines)  # logging did happen
    log_text = "\n".join(handler.lines).lower()
    items = stored_items()
    assert len(items) == 1
    stored_text = json.dumps(items).lower()
    for sentinel in SENTINELS:
        assert sentinel.lower() not in stored_text, sentinel
        assert sentinel.lower() not in log_text, sentinel
    profile = json.loads(items[0]["profile"]["S"])
    assert set(profile) <= {"last_visit", "routine", "place", "hold_s", "side", "locale",
                            "reminder", "updated"}
    assert set(items[0]) == {"id", "profile", "version", "expires_at"}


def test_delete_my_data_leaves_nothing_behind(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    converse(device)
    device.launch()
    device.say("delete my data")
    device.say("yes")
    assert stored_items() == []


def test_an_intent_whose_name_speaks_of_health_is_not_logged_by_name(app, caplog):
    device = Device(app.lambda_handler)
    device.launch()
    with caplog.at_level(logging.INFO):
        device.intent("WarningChestIntent")
        device.intent("CauseTendinopathyIntent")
        device.intent("AMAZON.HelpIntent")
    text = caplog.text.lower()
    assert "chest" not in text and "tendinopathy" not in text
    assert "another intent" in text and "amazon.helpintent" in text  # logging did happen
