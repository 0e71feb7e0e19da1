"""Nerve symptoms mid-routine: the exercise stops, and every exercise that tensions the
sciatic nerve is left out for the rest of the session, whatever the user says next
(docs/clinical-reference.md, "Nerve symptoms during an exercise")."""

from __future__ import annotations

import pytest

from helpers import IN_POSITION, Device, leads_a_step, past_screen
from thigh_coach.content import get_content

CONTENT = get_content()
TENSIONING = sorted(e.name for e in CONTENT.exercises.values() if e.tensions_nerve)


def spoken_exercise(heard) -> str | None:
    """The exercise a step introduces ("Standing hamstring stretch. ...")."""
    for exercise in CONTENT.exercises.values():
        if heard.speech.startswith(exercise.name[0].upper() + exercise.name[1:] + ".") \
                or f" {exercise.name[0].upper() + exercise.name[1:]}. " in heard.speech:
            return exercise.name
    return None


def test_the_nerve_stretches_are_the_straight_knee_ones_and_the_glide():
    assert TENSIONING == ["lying hamstring stretch with a towel", "seated hamstring stretch",
                          "seated sciatic nerve glide", "standing hamstring stretch"]


@pytest.fixture
def stopped(app):
    """The hamstring routine (standing, seated, towel, curl), stopped by shooting pain."""
    device = Device(app.lambda_handler)
    device.launch()
    started = past_screen(device, device.say("start the hamstring stretches"))
    assert spoken_exercise(started) == "standing hamstring stretch"
    heard = device.intent("NervePainIntent")
    assert "leave them out" in heard and "Shall we move on to the standing hamstring curl?" in heard
    assert device.history[-1].state.nerve
    return device


@pytest.mark.parametrize("command", ["AMAZON.NextIntent", "AMAZON.ResumeIntent",
                                     "AMAZON.StartOverIntent", "AMAZON.PreviousIntent",
                                     "AMAZON.YesIntent", "SkipIntent"])
def test_no_command_goes_back_to_a_nerve_stretch(stopped, command):
    """Each leads the next exercise that leaves the nerve alone (it used to give the stopped
    stretch's other side, or the stretch again)."""
    heard = stopped.intent(command)
    assert spoken_exercise(heard) == "standing hamstring curl", heard.speech
    assert heard.speech.endswith(IN_POSITION)  # its setup, a turn of its own


def test_repeat_says_the_stop_again(stopped):
    heard = stopped.intent("AMAZON.RepeatIntent")
    assert "leave them out" in heard and spoken_exercise(heard) is None


def test_starting_a_routine_again_leaves_the_nerve_stretches_out(stopped):
    heard = past_screen(stopped, stopped.say("start the hamstring stretches"))
    assert spoken_exercise(heard) == "standing hamstring curl"
    heard = past_screen(stopped, stopped.say("start the sciatica routine"))  # knee to chest, glide, towel
    assert spoken_exercise(heard) == "knee to chest stretch"
    led = set()
    for _ in range(30):  # to the routine's end
        heard = stopped.intent("AMAZON.NextIntent")
        led.add(spoken_exercise(heard))
        if heard.state.mode != "routine":
            break
    assert heard.state.mode != "routine" and not led & set(TENSIONING), led


def test_how_many_left_counts_only_what_is_left_to_do(stopped):
    heard = stopped.say("how many exercises are left")
    assert "nerve glide" not in heard.speech and "towel" not in heard.speech


def test_when_nothing_is_left_the_routine_ends(app):
    device = Device(app.lambda_handler)
    device.launch()
    past_screen(device, device.say("start the sciatica routine"))
    heard = device.intent("AMAZON.NextIntent")
    while spoken_exercise(heard) != "seated sciatic nerve glide":
        heard = device.intent("AMAZON.NextIntent")
    heard = device.intent("NervePainIntent")
    assert "leave them out" in heard and "last exercise" in heard
    heard = device.intent("AMAZON.NextIntent")
    assert not leads_a_step(heard) and spoken_exercise(heard) is None


def test_a_new_session_starts_without_the_restriction(stopped):
    stopped.end()
    stopped.launch()
    heard = past_screen(stopped, stopped.say("start the hamstring stretches"))
    assert spoken_exercise(heard) == "standing hamstring stretch"
