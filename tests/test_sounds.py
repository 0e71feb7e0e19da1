"""A chime starts and ends each hold; "no sounds" and "sounds on" are a preference, kept."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from conftest import stored_items
from helpers import Device, to_first_hold
from test_timer import HOLDS, coach
from thigh_coach.content import get_content
from thigh_coach.profile import Profile
from thigh_coach.speech import MAX_AUDIO_TAGS
from thigh_coach.timer import HOLD_END, HOLD_START, Begin, Release, Sound

CONTENT = get_content()
START, END = (f'<audio src="{clip.src}"/>' for clip in (HOLD_START, HOLD_END))


def start(device: Device, phrase: str = "start the hamstring stretches"):
    device.launch()
    return to_first_hold(device, device.say(phrase))


def chimed(ssml: str) -> bool:
    """Every hold in this speech starts with the start chime right after "Begin." and ends
    with the end chime right before "And release."."""
    begins = ssml.count("Begin.")
    return begins > 0 and ssml.count(f"Begin. {START}") == begins \
        and ssml.count(f"{END} And release.") == ssml.count("And release.") == begins


def test_each_hold_starts_and_ends_with_a_chime_and_chat_shows_where(device):
    heard = start(device)
    assert chimed(heard.ssml)
    assert "Begin. [chime]" in heard.speech and "[chime] And release." in heard.speech


def test_no_sounds_mid_routine_keeps_the_place_and_the_next_holds_are_words_only(device):
    heard = start(device)
    place = heard.state.place
    quiet = device.say("no sounds")
    assert quiet.speech.startswith("Okay, no sounds.") and quiet.speech.endswith("?")
    assert quiet.listening and quiet.state.place == place
    following = device.say("yes")
    assert "Begin." in following.ssml and "<audio" not in following.ssml
    assert "And release." in following.ssml


def test_the_preference_is_kept_for_the_next_session_and_sounds_on_brings_them_back(device):
    start(device)
    device.say("turn off the chimes")
    device.say("stop")
    again = start(device)
    assert "Begin." in again.ssml and "<audio" not in again.ssml
    on = device.say("sounds on")
    assert on.speech.startswith("Okay, sounds on.") and on.listening
    assert chimed(device.say("yes").ssml)


def test_the_preference_is_stored_and_deleted_with_the_users_data(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    device.launch()
    heard = device.say("no sounds")
    assert heard.speech.startswith("Okay, no sounds.") and heard.listening  # not in a routine
    device.say("stop")
    [item] = stored_items()
    assert json.loads(item["profile"]["S"])["sounds"] is False
    device.launch()
    device.say("delete my data")
    device.say("yes")
    assert stored_items() == []
    assert chimed(start(device).ssml)  # the default again: sounds on


def every_exercise():
    for routine, hold in itertools.product(CONTENT.routines.values(), HOLDS):
        for index in range(len(routine.exercises)):
            yield routine, hold, index


@pytest.mark.parametrize("sounds", [None, False], ids=["sounds on", "no sounds"])
def test_steps_are_the_same_with_or_without_sounds_and_never_over_five_clips(sounds):
    """A session's place is a step number: turning sounds on or off never moves a step."""
    for routine, hold, index in every_exercise():
        mine = coach(Profile(hold_s=hold, sounds=sounds)).steps(routine, index)
        other = coach(Profile(hold_s=hold, sounds=not sounds)).steps(routine, index)
        assert [(s.side, s.first_rep, s.last_rep) for s in mine] == \
            [(s.side, s.first_rep, s.last_rep) for s in other]
        for step in mine:
            clips = [e for e in step.events if isinstance(e, Sound)]
            holds = [e for e in step.events if isinstance(e, Begin)]
            assert len(clips) == (2 * len(holds) if sounds is None else 0)
            assert len(re.findall("<audio", step.speech().ssml())) <= MAX_AUDIO_TAGS
            releases = [i for i, e in enumerate(step.events) if isinstance(e, Release)]
            if sounds is None:  # the end chime is what the user hears as the hold's end
                assert all(step.events[i + 1] == HOLD_END for i in releases)
