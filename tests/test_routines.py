"""Guided routines, hands-free, as conversations through lambda_handler."""

from __future__ import annotations

import json
import re

import pytest

from conftest import stored_items
from helpers import IN_POSITION, Device, leads_a_step, past_screen, past_setup, to_first_hold
from thigh_coach.content import get_content

CONTENT = get_content()


def start(device: Device, phrase: str = "start the hamstring stretches"):
    """Start a routine and get to its first hold."""
    device.launch()
    return to_first_hold(device, device.say(phrase))


@pytest.mark.parametrize("phrase, routine_id", [
    ("start the hamstring stretches", "hamstring"), ("do a stretch for sciatica", "sciatica"),
    ("start the piriformis routine", "piriformis"), ("start the strengthening routine",
                                                     "strengthening"),
    ("start the gentle routine", "gentle")])
def test_start_phrases(device, phrase, routine_id):
    device.launch()
    setup = past_screen(device, device.say(phrase))
    routine = CONTENT.routines[routine_id]
    assert f"Starting the {routine.name}" in setup
    first = CONTENT.exercises[routine.exercises[0]]
    assert first.name.capitalize() in setup
    # the setup is a turn of its own: time to get into position before a hold is timed
    assert "Begin." not in setup and setup.speech.endswith(IN_POSITION)
    assert setup.listening and setup.reprompt == "Say next when you're ready, or pause. Ready to go on?"
    hold = device.say("ready")
    assert len(hold.speech.split("Begin.")[0].split()) <= 30  # few words before the first hold


def test_the_gentle_routine_holds_longer(device):
    heard = start(device, "start the gentle routine")
    assert "Forty seconds left." in heard  # 45 s holds


def test_each_step_asks_whether_to_go_on_and_keeps_listening(device):
    heard = start(device)
    assert heard.speech.endswith("Ready to go on?")
    second = device.say("yes")
    assert second.speech.endswith("Ready for the right side?")
    assert second.listening and second.reprompt


def test_next_runs_through_to_the_end(device):
    start(device, "start the strengthening routine")
    names = []
    for _ in range(20):
        heard = device.say("next")
        if "That's the whole" in heard:
            break
        names.append(heard.speech)
    assert "That's the whole strengthening routine. Well done." in heard
    assert any("Standing hamstring curl" in n for n in names)
    assert heard.listening


def test_a_side_then_the_other(device):
    device.launch()
    first = past_screen(device, device.say("start the piriformis routine"))
    assert "Left side." in first and "left ankle" in first
    device.say("ready")
    device.say("next")
    right = device.say("next")
    assert "Right side." in right and "right ankle" in right


def test_the_sore_side_goes_first(device):
    device.launch()
    heard = device.say("right side first")
    assert "the right side first" in heard
    first = past_screen(device, device.say("start the piriformis routine"))
    assert "Right side." in first and "Left side." not in first


def test_only_one_side(device):
    start(device, "start the piriformis routine")
    heard = device.say("only the left side")
    assert "only the left side" in heard and "Left side." in heard
    device.say("next")
    after = device.say("next")
    assert "Right side." not in after and "Knee to chest stretch" in after
    both = device.say("both sides")
    assert "both sides" in both


def test_previous_goes_back_an_exercise(device):
    start(device)
    for _ in range(4):
        device.say("next")
    assert "Standing hamstring curl" in device.history[-1]
    back = device.say("go back")
    # back to its setup: the user gets into position again before the hold
    assert "Back to the standing hamstring stretch" in back and back.speech.endswith(IN_POSITION)
    assert "Begin." in device.say("ready")


def test_repeat_replays_the_current_exercise(device):
    start(device)
    device.say("next")
    again = device.say("repeat")
    assert again.speech.startswith("Standing hamstring stretch. Left side.")


def test_skip_this_one(device):
    start(device)
    heard = device.say("skip this one")
    assert "Skipping the standing hamstring stretch" in heard
    assert "Standing hamstring curl" in heard


def test_start_over(device):
    start(device)
    device.say("skip this one")
    heard = device.say("start over")
    assert "again from the top" in heard and "Standing hamstring stretch" in heard


def test_which_stretch_and_how_many_are_left(device):
    start(device)
    which = device.say("which stretch is this")
    assert "standing hamstring stretch, left side: exercise one of four" in which
    left = device.say("how many are left")
    assert "After this one, three more" in left and "towel" in left
    assert left.listening


def test_pause_and_resume_in_one_session(device):
    start(device)
    device.say("next")
    paused = device.say("pause")
    assert paused.speech == "Paused at the standing hamstring stretch. Shall we carry on?"
    assert paused.listening and paused.reprompt.endswith("Shall we carry on?")
    resumed = device.say("resume")
    assert "Number two of two" in resumed  # the same step again, from its start


def test_pause_then_no_ends_the_session_keeping_the_place(device):
    start(device)
    device.say("pause")
    heard = device.say("no")
    assert "saved your place at the standing hamstring stretch" in heard and not heard.listening


def test_no_to_ready_then_resuming_goes_on_with_the_next_step(device):
    """The step was heard to its end: carrying on must not replay the hold just done."""
    start(device)
    assert device.say("next").speech.endswith("Ready for the right side?")
    heard = device.say("no")
    assert heard.speech == "No problem. Would you like to stop here for today?"
    resumed = device.say("no")  # not stopping: go on
    assert resumed.speech.startswith("Right side.")
    start(device)
    device.say("next")
    device.say("no")
    stopped = device.say("yes")
    assert not stopped.listening
    again = device.launch()
    assert "Last time you stopped at the standing hamstring stretch." in again.reprompt
    assert past_screen(device, device.say("yes")).speech.startswith("Right side.")


@pytest.mark.parametrize("phrase", ["repeat", "pardon", "say that again"])
def test_repeat_on_the_right_side_replays_the_right_side(device, phrase):
    start(device)
    device.say("next")
    right = device.say("next")
    assert right.speech.startswith("Right side.")
    again = device.say(phrase)
    assert again.speech == right.speech


def test_help_in_a_routine(device):
    start(device)
    heard = device.say("help")
    assert "skip this one" in heard and "make the holds longer" in heard


@pytest.mark.parametrize("phrase, cue", [
    ("make the holds longer", "Thirty seconds left."),
    ("hold for forty five seconds", "Forty seconds left."),
    ("make the holds shorter", "Ten seconds left.")])
def test_hold_changes(device, phrase, cue):
    start(device)
    heard = device.say(phrase)
    assert "Holds are now" in heard and heard.listening
    nxt = device.say("next")
    assert cue in nxt
    if phrase == "make the holds shorter":
        assert "Twenty seconds left." not in nxt


def test_holds_stay_within_safe_bounds(device):
    start(device)
    heard = device.say("hold for ninety seconds")
    assert "between ten and sixty seconds" in heard and "Holds are now sixty seconds" in heard
    assert "Fifty seconds left." in heard  # on at once, with the new holds


def test_a_painful_stretch_stops_and_offers_to_skip(device):
    start(device)
    heard = device.say("that hurts")
    assert "Ease off now" in heard and "skip this exercise" in heard
    assert "Standing hamstring curl" in device.say("yes")


def test_no_to_skipping_a_painful_stretch_stops_it_and_asks_about_the_pain(device):
    start(device)
    device.say("it's painful")
    heard = device.say("no")
    assert heard.speech == ("Okay, we'll leave that exercise. "
                            "Was the pain sharp, or did it shoot down your leg?")
    assert not leads_a_step(heard)
    move_on = device.say("no")
    assert move_on.speech == "Okay. Shall we move on to the standing hamstring curl?"
    assert device.say("yes").speech.startswith("Standing hamstring curl.")


def test_a_sharp_pain_after_a_painful_stretch_ends_the_routine(device):
    start(device)
    device.say("that hurts")
    device.say("no")
    heard = device.say("yes")
    assert "a sudden sharp pain can be a strain" in heard and "Shall I repeat that?" in heard
    assert not leads_a_step(heard) and heard.state.place is None
    refused = past_screen(device, device.say("start the hamstring stretches"))
    assert "won't start another routine today" in refused


def test_a_red_flag_mid_routine_ends_it_and_escalates(device):
    start(device)
    heard = device.say("I can't control my bladder")
    assert "emergency" in heard and "9 1 1" in heard
    assert device.history[-1].state.place is None
    after = device.say("next")
    assert "There's no routine running" in after and not leads_a_step(after)
    assert "stretch" not in after.speech.lower()


def test_stop_remembers_the_place_and_start_my_routine_continues(device):
    start(device, "start the piriformis routine")
    device.say("skip this one")
    stopped = device.say("stop")
    assert "saved your place at the knee to chest stretch" in stopped
    assert not stopped.listening
    welcome = device.launch()
    assert "Last time you stopped at the knee to chest stretch." in welcome.reprompt
    assert "check symptoms first" in welcome and "Carry on where you stopped?" in welcome
    heard = past_screen(device, device.say("start my routine"))
    assert heard.speech.startswith("Knee to chest stretch.")


def test_declining_to_continue_starts_fresh_next_time(device):
    start(device)
    device.say("stop")
    device.launch()
    device.say("no")
    device.say("stop")
    assert "Last time" not in device.launch()


def test_start_my_routine_with_nothing_saved_lists_routines(device):
    device.launch()
    heard = past_screen(device, device.say("start my routine"))
    assert "I can lead the hamstring stretches" in heard


def test_pause_and_resume_across_sessions_on_dynamodb(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    start(device, "start the sciatica routine")
    device.say("next")
    device.say("next")
    device.say("make the holds longer")  # on with the right side's second hold, now 40 s
    device.say("pause")
    device.end("EXCEEDED_MAX_REPROMPTS")  # walked away mid-pause

    phone = Device(dynamo_app.lambda_handler, user_id=device.session.user_id)
    welcome = phone.launch()
    assert "Last time you stopped at the knee to chest stretch." in welcome.reprompt
    resumed = past_screen(phone, phone.say("yes"))
    assert "Number two of two." in resumed and "Thirty seconds left." in resumed  # 40 s kept
    [item] = stored_items()
    profile = json.loads(item["profile"]["S"])
    assert profile["routine"] == "sciatica" and profile["place"] == [0, 2, 1]
    assert profile["hold_s"] == 40 and profile["locale"] == "en-US"
    assert set(profile) <= {"last_visit", "routine", "place", "hold_s", "side", "locale",
                            "reminder", "updated"}


def test_forget_me_deletes_everything_after_a_yes(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    start(device)
    device.say("stop")
    assert stored_items()
    device.launch()
    confirm = device.say("forget me")
    assert "Are you sure" in confirm and confirm.listening
    done = device.say("yes")
    assert "deleted everything" in done and not done.listening
    assert stored_items() == []
    again = device.launch()
    assert "Welcome to Thigh Pain Coach" in again and "Last time" not in again
    device.say("stop")
    assert len(stored_items()) == 1  # a new first visit, nothing from before


def test_forget_me_then_no_keeps_everything(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    start(device)
    device.say("stop")
    device.launch()
    device.say("no")  # not continuing
    device.say("delete my data")
    heard = device.say("no")
    assert "kept everything" in heard
    assert stored_items()


def test_a_screen_shows_the_exercise_side_and_countdown(new_device):
    device = new_device(screen=True)
    heard = start(device)
    [directive] = heard.directives
    assert directive["type"] == "Alexa.Presentation.APL.RenderDocument"
    data = directive["datasources"]["exercise"]
    assert data["name"] == "Standing hamstring stretch" and data["side"] == "Left side"
    assert data["hold_s"] == 30 and data["start_ms"] > 0
    assert "elapsedTime" in json.dumps(directive["document"])


def test_no_apl_for_a_device_without_a_screen(device):
    assert start(device).directives == []


@pytest.fixture
def reminders_api(monkeypatch):
    """Alexa's Settings and Reminders APIs answered at the SDK's HTTP boundary (the
    details of each call are tested in test_reminders_api.py); returns what was created."""
    from ask_sdk_core.api_client import DefaultApiClient
    from ask_sdk_model.services import ApiClientResponse

    created: list = []

    def invoke(client, request):
        if request.method == "GET":
            return ApiClientResponse(headers=[], body=json.dumps("Europe/London"),
                                     status_code=200)
        created.append(request.body)
        return ApiClientResponse(headers=[], body=json.dumps({"alertToken": "t-1"}),
                                 status_code=200)

    monkeypatch.setattr(DefaultApiClient, "invoke", invoke)
    return created


def test_a_reminder_is_confirmed_with_its_time_and_recurrence_before_it_is_set(
        new_device, reminders_api):
    device = new_device()
    device.session.consent_token = "consent-token"
    device.launch()
    heard = device.say("remind me to stretch every evening at seven")
    assert heard.speech == "Every day at 7 p m. Shall I set it?" and reminders_api == []
    done = device.say("yes")
    assert "I'll remind you to stretch every day at 7 p m" in done and done.listening
    assert len(reminders_api) == 1


def test_an_hour_that_could_be_morning_or_evening_is_asked_again(new_device, reminders_api):
    device = new_device()
    device.session.consent_token = "consent-token"
    device.launch()
    assert device.say("remind me to stretch at seven").speech == "Is that 7 in the morning?"
    assert device.say("no").speech == "Every day at 7 p m. Shall I set it?"
    assert "Okay, no reminder." in device.say("no") and reminders_api == []


def test_the_time_asked_about_is_a_number_in_the_session_and_a_bad_one_is_asked_again(
        new_device, reminders_api):
    device = new_device()
    device.session.consent_token = "consent-token"
    device.launch()
    device.say("remind me to stretch every evening at seven")
    assert device.session.attributes["c"]["ab"] == 19 * 60  # minutes after midnight
    for tampered in ("t1900", 24 * 60, -1, "19:00"):
        device.session.attributes["c"].update({"a": "reminder_confirm", "ab": tampered})
        heard = device.say("yes")
        assert "What time should I remind you" in heard and heard.listening
    assert reminders_api == []


def test_a_reminder_without_permission_asks_for_it_with_a_card(new_device, reminders_api):
    device = new_device()
    device.launch()
    device.say("remind me to stretch every evening at seven")
    heard = device.say("yes")
    assert "I need your permission" in heard
    assert heard.card == {"type": "AskForPermissionsConsent",
                          "permissions": ["alexa::alerts:reminders:skill:readwrite"]}
    assert reminders_api == []


def test_a_reminder_without_a_time_asks_for_one(device):
    device.launch()
    heard = device.say("remind me to stretch")
    assert "What time should I remind you" in heard and heard.listening


def test_an_absurd_number_of_seconds_is_clamped_not_a_crash(device):
    start(device)
    heard = device.intent("HoldSecondsIntent", seconds="0" * 5000 + "9")
    assert "Holds are now sixty seconds" in heard and heard.listening
    assert "Holds are now" in device.intent("HoldSecondsIntent", seconds="٣٠")  # not ASCII


def test_something_unrelated_mid_routine_points_back_to_it(device):
    start(device)
    heard = device.say("purple monkey dishwasher")
    assert "didn't catch that, so I've paused" in heard and "it hurts, or I feel dizzy" in heard
    # no yes/no: a "yes" to a phrase we could not place must not start a stretch again
    assert heard.speech.endswith("What would you like to do?") and heard.listening
    assert not leads_a_step(device.say("yes"))
    assert "Number one of two" in device.say("carry on")  # the step under way, from its start


def test_the_gentle_routine_stays_on_a_chair_with_long_holds():
    gentle = CONTENT.routines["gentle"]
    for exercise_id in gentle.exercises:
        setup = " ".join(w.self_ for w in CONTENT.exercises[exercise_id].setup).lower()
        assert "chair" in setup and not re.search(r"\b(lie|lying|kneel)\b", setup), exercise_id
    assert 30 <= gentle.hold_s <= 60 and gentle.min_hold_s == 30


def test_a_shorter_stored_hold_is_said_and_never_below_thirty_in_the_gentle_routine(device):
    start(device)
    device.say("hold for ten seconds")
    device.say("stop")
    device.launch()
    heard = past_screen(device, device.say("start the gentle routine"))
    assert "Holds are thirty seconds, as you chose." in heard
    heard = past_setup(device, heard)
    assert "Twenty seconds left." in heard and "Ten seconds left." in heard


def test_strengthening_is_two_or_three_days_a_week_and_stretching_most_days(device):
    for routine_id, advice in (("strengthening", "two or three days a week"),
                               ("hamstring", "most days")):
        device.launch()
        past_screen(device, device.say(f"start the {CONTENT.routines[routine_id].name}"))
        for _ in range(60):
            heard = device.say("next")
            if "That's the whole" in heard:
                break
        assert advice in heard, heard.speech


def test_the_nerve_glide_is_a_slider_not_a_tensioner():
    glide = CONTENT.exercises["nerve_glide"]
    action = glide.action.self_.lower()
    # toes up goes with looking up (the knee straight), toes down with looking down
    assert "toes up as you look up" in action and "toes down and look down" in action
    assert glide.counts == ("straighten, look up", "bend, look down")
