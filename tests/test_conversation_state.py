"""Regression tests, one per defect of the conversation-state issue, through lambda_handler.

Each drives a whole conversation as a user would and asserts what they hear (and, where the
defect was about state, what the session carries to the next turn).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Device, leads_a_step, to_first_hold
from thigh_coach.content import get_content
from thigh_coach.state import Ask

REPO_ROOT = Path(__file__).resolve().parents[1]

CONTENT = get_content()
Q1 = "Do you have numbness around your bottom"
Q2 = "Are you newly short of breath"
Q3 = "Did the pain start suddenly"


def into_the_check(device: Device) -> None:
    device.launch()
    assert Q1 in device.say("check my symptoms")
    assert Q2 in device.say("no")


def into_a_routine(device: Device, phrase: str = "start the hamstring stretches") -> None:
    device.launch()
    assert "Begin." in to_first_hold(device, device.say(phrase))


# --- answers bind to the question just asked -----------------------------------------------

def test_a_person_switch_mid_check_restarts_it_for_that_person(device):
    into_the_check(device)
    switched = device.say("I'm asking for my dad")
    assert "Let's start the check again" in switched
    assert "Does he have numbness around the bottom" in switched
    assert switched.state.answers == ""
    heard = device.say("yes")  # answers the question just asked about him, not chest pain
    assert "nerves at the base of the spine" in heard and "blood clot" not in heard


def test_no_to_deleting_data_mid_check_is_not_an_answer(device):
    into_the_check(device)
    device.say("delete my data")
    kept = device.say("no")
    assert kept.speech == "Okay, I've kept everything. Shall we go back to the symptom check?"
    assert kept.state.answers == "n"
    back = device.say("yes")
    assert back.speech.startswith("Back to the symptom check. " + Q2)  # the question, in full
    assert back.state.answers == "n"


SIDE_TRIPS = [
    ("SideIntent", {"side": ("left", "left")}), ("SideOnlyIntent", {"only_side": ("right", "right")}),
    ("SoreSideIntent", {"sore_side": ("right", "right")}), ("PainIntent", {}),
    ("HoldSecondsIntent", {"seconds": "45"}), ("HoldLongerIntent", {}),
    ("HoldShorterIntent", {}), ("ListCausesIntent", {}), ("ListRoutinesIntent", {}),
    ("ReminderIntent", {}), ("HowManyLeftIntent", {}), ("WhichExerciseIntent", {}),
    ("AMAZON.PauseIntent", {}), ("AMAZON.NextIntent", {}), ("AMAZON.ResumeIntent", {}),
    ("MoreIntent", {}), ("SkipIntent", {}), ("CauseInfoIntent", {"cause": ("sciatica",
                                                                          "sciatica")}),
    ("StartMyRoutineIntent", {}), ("ForgetMeIntent", {}), ("AMAZON.HelpIntent", {}),
    ("AMAZON.FallbackIntent", {}), ("OkayIntent", {}), ("NervePainIntent", {}),
    ("AMAZON.RepeatIntent", {}), ("ForMeIntent", {}),
]


@pytest.mark.parametrize("intent, slots", SIDE_TRIPS, ids=[i for i, _ in SIDE_TRIPS])
@pytest.mark.parametrize("then", ["AMAZON.YesIntent", "AMAZON.NoIntent"])
def test_a_side_trip_mid_check_never_becomes_an_answer(device, intent, slots, then):
    into_the_check(device)
    aside = device.intent(intent, **slots)
    assert aside.state.answers == "n", aside.speech
    if aside.state.asking == Ask.CHECK_QUESTION:  # help, repeat, fallback: the question again
        assert "breath" in aside.speech  # the pending question (help asks it shortened)
        return
    after = device.intent(then)
    assert after.state.answers in ("n", ""), after.speech  # kept, or the check given up
    assert "blood clot" not in after  # the pending chest-pain question was never answered


# --- the session's safety memory -----------------------------------------------------------

@pytest.mark.parametrize("reset", ["check my symptoms", "start over", "main menu"])
def test_a_red_flag_said_earlier_still_blocks_routines(device, reset):
    device.launch()
    assert "bad tear" in device.say("I felt a pop")
    device.say(reset)
    refused = to_first_hold(device, device.say("start the hamstring stretches"))
    assert not leads_a_step(refused)
    assert "warning sign you told me about" in refused and refused.speech.endswith("?")
    assert "hamstring stretches" not in device.say("help").speech


def test_the_safety_memory_is_never_stored(dynamo_app):
    from conftest import stored_items

    device = Device(dynamo_app.lambda_handler)
    device.launch()
    device.say("I felt a pop")
    device.say("stop")
    for item in stored_items():
        assert "red_flag" not in str(item) and "weakness" not in str(item)


def test_a_later_session_resume_offer_carries_a_safety_line(device):
    into_a_routine(device)
    device.say("stop")
    welcome = device.launch()
    assert welcome.speech == ("Welcome back. If anything's new, check symptoms first. "
                              "Carry on where you stopped?")
    assert "Last time you stopped at the standing hamstring stretch" in welcome.reprompt


# --- after emergency advice ----------------------------------------------------------------

def emergency(device: Device):
    device.launch()
    heard = device.say("I have chest pain")
    assert "Call 9 1 1 now" in heard and heard.speech.endswith("Shall I repeat that?")
    return heard


@pytest.mark.parametrize("intent", ["OkayIntent", "CallForHelpIntent"])
def test_okay_thanks_or_call_after_emergency_advice(device, intent):
    advice = emergency(device)
    heard = device.intent(intent)
    assert heard.speech == "I can't make calls. Call 9 1 1 from a phone now. Shall I repeat that?"
    assert device.say("yes").speech == advice.speech


def test_help_and_fallback_after_emergency_advice_offer_no_stretch(device):
    emergency(device)
    for heard in (device.say("help"), device.say("play some jazz music")):
        assert "stretch" not in heard.speech.lower().replace("lead stretches today", "")
        assert "start the" not in heard.speech and heard.speech.endswith("?")


def test_no_to_hearing_the_advice_again_ends_with_the_number(device):
    emergency(device)
    heard = device.say("no")
    assert not heard.listening and "9 1 1" in heard


# --- "it hurts", and signs during exercise ---------------------------------------------------

def test_it_hurts_outside_a_routine_asks_how_bad(device):
    device.launch()
    heard = device.say("it hurts too much")
    assert "mild pull" not in heard
    assert heard.speech == "I'm sorry it hurts. Is the pain so bad that you can't rest, sleep or think?"
    assert "today" in device.say("yes")  # severe pain: see a doctor today


def test_it_hurts_not_severe_offers_the_check(device):
    device.launch()
    device.say("that hurts")
    offer = device.say("no")
    assert "Would you like to check your symptoms?" in offer
    assert Q1 in device.say("yes")


@pytest.mark.parametrize("intent, says", [
    ("NervePainIntent", "Stop this exercise, and rest"),
    ("SharpPainIntent", "a sudden sharp pain can be a strain"),
    ("WarningFallIntent", "Can you get up on your own?"),
    ("DizzyIntent", "sit or lie down now")])
def test_a_sign_during_a_stretch_stops_it(device, intent, says):
    into_a_routine(device)
    heard = device.intent(intent)
    assert says in heard and not leads_a_step(heard)
    assert "Ready to go on?" not in heard
    after = device.say("yes")
    if intent == "NervePainIntent":  # the nerve stretches stop; the next that isn't one
        assert after.speech.startswith("Standing hamstring curl.")
    else:  # a fall, a sharp pain or dizziness: no more stretching this session
        assert not leads_a_step(after)


def test_cannot_get_up_after_a_fall_is_an_emergency(device):
    into_a_routine(device)
    device.intent("WarningFallIntent")
    heard = device.say("no")
    assert "Call 9 1 1 now" in heard and heard.listening
    assert "After a fall, I won't start a routine today." in device.say(
        "start the hamstring stretches")


def test_a_fall_blocks_routines_for_the_session(device):
    into_a_routine(device)
    device.intent("WarningFallIntent")
    device.say("yes")
    refused = to_first_hold(device, device.say("start the hamstring stretches"))
    assert "After a fall, I won't start a routine today." in refused


def test_a_sore_side_mid_routine_is_a_pain_report(device):
    into_a_routine(device)
    heard = device.intent("SoreSideIntent", sore_side=("right", "right"))
    assert "Ease off now" in heard and "first from now on" not in heard
    assert heard.state.asking == Ask.SKIP


# --- routine navigation and pausing ----------------------------------------------------------

def test_pausing_keeps_the_session_only_with_a_question(device):
    into_a_routine(device)
    heard = device.say("pause")
    assert heard.listening and heard.speech.endswith("Shall we carry on?")
    ended = device.say("no")
    assert not ended.listening and "saved your place" in ended


def test_resuming_after_no_to_ready_does_not_replay_the_hold(device):
    into_a_routine(device)
    done = device.say("next")  # the second hold on the left
    assert done.speech.endswith("Ready for the right side?")
    device.say("no")
    carried_on = device.say("no")  # not stopping for today
    assert carried_on.speech.startswith("Right side.")


def test_a_one_shot_check_speaks_the_disclaimer_before_the_first_question(device):
    heard = device.say("ask thigh pain coach to check my symptoms")
    assert heard.speech.startswith("General information, not medical advice. In an emergency, "
                                   "call 9 1 1.")
    assert heard.speech.index("call 9 1 1") < heard.speech.index("Do you have numbness")


def test_which_leg_hurts_is_health_data_and_never_stored(dynamo_app):
    """"My left thigh hurts" is a symptom: it asks how bad, and sets no stored preference
    (only "left side first" does)."""
    from conftest import stored_items

    device = Device(dynamo_app.lambda_handler)
    device.launch()
    heard = device.say("my left leg hurts")
    assert "Is the pain so bad" in heard
    device.say("no")
    device.say("stop")
    assert all("side" not in str(item) for item in stored_items())


def test_the_typed_names_are_the_declared_names():
    """Mode, Ask and Signal declare the names; ModeName, AskName and SignalName type them
    for mypy. The two must not drift apart."""
    from typing import get_args

    from thigh_coach.state import Ask, AskName, Mode, ModeName, Signal, SignalName, names

    assert set(get_args(ModeName)) == set(names(Mode))
    assert set(get_args(AskName)) == set(names(Ask))
    assert set(get_args(SignalName)) == set(names(Signal))


def test_mypy_rejects_a_misspelt_question(tmp_path):
    """What the Literal types buy: a question name mistyped is a type error."""
    import subprocess
    import sys
    import textwrap

    source = textwrap.dedent('''
        from thigh_coach.state import Conversation
        state = Conversation()
        state.asking = "redy"
    ''')
    probe = tmp_path / "probe.py"
    probe.write_text(source)
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", str(probe)],
                            capture_output=True, text=True, cwd=REPO_ROOT)
    assert "Incompatible types in assignment" in result.stdout, result.stdout + result.stderr


def test_a_fall_said_with_cannot_get_up_is_the_emergency_at_once(device):
    """"My dad fell and can't get up": no "can he get up?" asked again, nothing about
    exercises outside a routine, and the advice is for the helper (the slots a device sends)."""
    device.launch()
    heard = device.intent("WarningFallIntent", person=("dad", "he"),
                          stuck=("can't get up", "cannot_get_up"))
    assert heard.speech.startswith("Call 9 1 1 now. Keep him warm, and don't try to lift him.")
    assert "get up without help?" not in heard.speech and "exercises" not in heard.speech
    assert heard.listening and heard.state.advice == "emergency"


@pytest.mark.parametrize("said", ["my dad fell and can't get up", "my mom is stuck on the floor"])
def test_a_fall_said_with_cannot_get_up_is_heard_as_the_emergency(device, said):
    device.launch()
    heard = device.say(said)
    assert heard.speech.startswith("Call 9 1 1 now. Keep"), heard.speech


def test_a_fall_outside_a_routine_says_nothing_of_exercises(device):
    device.launch()
    heard = device.intent("WarningFallIntent", person=("mother", "she"))
    assert heard.speech.startswith("I'm sorry she fell. If she is badly hurt, call 9 1 1.")
    assert "Can she get up without help?" in heard.speech


@pytest.mark.parametrize("intent", ["MildPainIntent", "PainIntent", "SoreSideIntent"])
def test_an_ache_said_mid_check_leads_back_to_the_pending_question(device, intent):
    """"My hamstrings are sore from the gym" mid-check: sorry, and the same check question
    again (the check asks how bad it is in its turn), not "how bad is it?" in its place."""
    into_the_check(device)
    heard = device.intent(intent)
    assert Q2 in heard.speech and heard.state.answers == "n"
    assert heard.reprompt.startswith("Any new breathlessness")
    assert Q3 in device.say("no").speech
