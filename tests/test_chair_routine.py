"""Someone who can't get down to the floor is offered the routine done on a chair (the gentle
routine), and a standing stretch in helper mode is always done with support
(docs/clinical-reference.md, "Routines")."""

from __future__ import annotations

import re

import pytest

from helpers import IN_POSITION, Device, leads_a_step, past_screen, to_first_hold
from thigh_coach.content import get_content

CONTENT = get_content()
CHAIR = CONTENT.routines["gentle"]
OFFER = "The gentle routine is all done sitting on a chair, with nothing on the floor."


@pytest.fixture
def device(app):
    d = Device(app.lambda_handler)
    d.launch()
    return d


def test_every_exercise_of_the_chair_routine_is_done_sitting():
    for exercise_id in CHAIR.exercises:
        exercise = CONTENT.exercises[exercise_id]
        first = exercise.setup[0].self_
        assert exercise.position == "chair", exercise.id
        assert first.startswith("Sit") and "chair" in first, exercise.id


def test_each_exercises_position_is_what_its_setup_says():
    said = {"standing": "Stand", "chair": "Sit", "floor": "Lie"}
    for exercise in CONTENT.exercises.values():
        assert exercise.setup[0].self_.startswith(said[exercise.position]), exercise.id


@pytest.mark.parametrize("routine", CONTENT.routines.values(), ids=lambda r: r.id)
def test_a_routine_keeps_one_position_as_long_as_it_can(routine):
    """Standing, a chair, the floor: each position in one run, never back to one left."""
    positions = [CONTENT.exercises[e].position for e in routine.exercises]
    runs = [p for i, p in enumerate(positions) if i == 0 or p != positions[i - 1]]
    assert len(runs) == len(set(runs)), (routine.id, positions)


def test_a_routine_with_floor_exercises_says_the_chair_routine_is_there(device):
    """To anyone older too: the skill doesn't know the user's age, so the hint names it."""
    heard = past_screen(device, device.say("start the piriformis routine"))
    assert re.search(r"If you're (\d+) or over, or getting down to the floor is hard, "
                     r"say: the chair routine\.", heard.speech), heard.speech
    chair = past_screen(device, device.say("the chair routine"))
    assert "Starting the gentle routine" in chair and "floor is hard" not in chair


def test_a_helper_hears_the_chair_routine_offered_for_an_older_person(device):
    device.say("I'm asking for my mum")
    heard = past_screen(device, device.say("start the hamstring stretches"))
    assert re.search(r"If (she|the person you're helping) is \d+ or over, or getting down to "
                     r"the floor is hard for (her|them), say: the chair routine\.",
                     heard.speech), heard.speech


def test_a_standing_stretch_in_helper_mode_is_always_supported():
    standing = [e for e in CONTENT.exercises.values() if e.position == "standing"]
    assert standing
    for exercise in standing:
        helper = " ".join(line.helper for line in exercise.setup)
        # held by the helper or a sturdy chair, always, not "if you need to"
        assert re.search(r"\bhold(ing)? (on to you|the back of a sturdy chair)", helper), exercise.id
        assert "if you need" not in helper, exercise.id


@pytest.mark.parametrize("phrase", ["I can't get down on the floor",
                                    "getting down to the floor is hard for me",
                                    "can I do them in a chair"])
def test_cant_get_down_to_the_floor_offers_the_chair_routine(device, phrase):
    heard = device.say(phrase)
    assert OFFER in heard and heard.speech.endswith("Shall I start it?") and heard.listening
    started = past_screen(device, device.say("yes"))
    assert "Starting the gentle routine" in started and started.speech.endswith(IN_POSITION)
    assert "Seated hamstring stretch" in started


def test_mid_routine_it_moves_to_the_chair_routine(device):
    to_first_hold(device, device.say("start the hamstring stretches"))  # standing, then floor
    heard = device.say("my mum can't get down on the floor")
    assert OFFER in heard and not leads_a_step(heard)
    started = device.say("yes")  # the screen was answered this session
    assert "Starting the gentle routine" in started and "Seated hamstring stretch" in started


def test_in_the_chair_routine_it_says_so_and_carries_on(device):
    to_first_hold(device, device.say("start the gentle routine"))
    heard = device.say("I can't get down to the floor")
    assert "already on a chair" in heard and heard.speech.endswith("Ready to go on?")


def test_no_chair_routine_after_a_warning_sign(device):
    device.say("I have chest pain")
    heard = device.say("I can't get down on the floor")
    assert OFFER not in heard and not leads_a_step(heard)
    assert not heard.listening or "routine" not in heard.reprompt
