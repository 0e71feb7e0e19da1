"""The check asks what tells urgency apart (docs/clinical-reference.md, "What the check must be
able to tell apart"): falls and blows, a clot's pain and its risks, new breathlessness, age
and how long the pain has lasted. Each case is a clinician's vignette, answered truthfully,
as a conversation through lambda_handler."""

from __future__ import annotations

import pytest

from helpers import Device, check_answers
from thigh_coach.content import get_content

SAY = {"y": "yes", "n": "no", "u": "not sure"}


def check(device: Device, **given: str):
    """Answer the check through the device: each question named in `given` gets that answer
    ("y", "n", "u"), every other one "no". Returns every reply heard, in order."""
    device.say("check my symptoms")
    return [device.say(SAY[code]) for code in check_answers(**given)]


def asked(heard) -> str:
    return " ".join(h.speech for h in heard)


# --- falls and blows ----------------------------------------------------------------------------

def test_a_fall_or_a_blow_with_cannot_get_up_or_a_tight_swollen_muscle_is_an_emergency(device):
    """The vignettes: an older man fell this morning and has pain (he was told "most likely
    trigger points" and offered the hamstring stretches); compartment syndrome after a kick
    or a tackle, which needs no "serious accident" and no cast."""
    device.launch()
    device.say("it's for my dad")
    heard = check(device, sudden="y", fall_or_blow="y", injury_severe="y")
    assert "Did his pain start suddenly, with a fall, a blow" in heard[1].speech
    assert "Was it a fall, an accident, or a blow to his leg?" in heard[2].speech
    assert "Is he unable to get up" in heard[3].speech
    assert "is his muscle tight and swollen, with pain far worse than you'd expect" in \
        heard[3].speech
    outcome = heard[-1]
    assert outcome.speech.startswith("Call 9 1 1 for him now.")
    assert "trigger points" not in outcome.speech and "start the" not in outcome.speech
    assert outcome.state.advice == "emergency"


def test_a_fall_with_pain_on_standing_or_in_the_groin_is_same_day(device):
    device.launch()
    heard = check(device, sudden="y", fall_or_blow="y", injury_weight="y")
    assert "hard to put weight on the leg, or is there new pain in your hip or groin" in \
        heard[-3].speech
    # after an urgent "yes", only what could still be an emergency: a leg that changed colour
    assert heard[-2].speech.startswith("Is one leg swollen, warm, or a different colour")
    outcome = heard[-1]
    assert outcome.speech.startswith("Get checked today: contact a doctor today")
    assert "broken bone" in outcome.speech


def test_a_fall_without_those_signs_rests_and_offers_no_stretch(device):
    device.launch()
    heard = check(device, sudden="y", fall_or_blow="y", recent="y")
    outcome = heard[-1]
    assert "no stretching yet" in outcome.speech
    assert "trigger points" not in outcome.speech and "hamstring strain" not in outcome.speech
    assert "start the" not in outcome.speech


def test_a_strain_in_sport_is_not_asked_about_falls(device):
    device.launch()
    heard = check(device, sudden="y", recent="y")
    said = asked(heard)
    assert "unable to get up" not in said and "hip or groin" not in said
    assert "hamstring strain" in heard[-1].speech


# --- a clot -------------------------------------------------------------------------------------

def test_a_throbbing_cramping_ache_in_one_calf_is_a_clots_sign(device):
    device.launch()
    heard = check(device, clot_pain="y")
    assert "throbbing or cramping ache deep in one calf or thigh" in heard[-2].speech
    outcome = heard[-1]
    assert outcome.speech.startswith("Get checked today: contact")
    assert "blood clot" in outcome.speech and "call 9 1 1" in outcome.speech


@pytest.mark.parametrize("sign", ["deep_vein_thrombosis", "clot_pain"])
def test_a_clots_risk_makes_not_sure_same_day(new_device, sign):
    risky = new_device()
    risky.launch()
    heard = check(risky, **{sign: "u", "clot_risk": "y"})
    assert "an operation or a hospital stay, a long journey, or time laid up in bed" in \
        heard[-2].speech
    assert heard[-1].speech.startswith("Get checked today: contact")
    assert "rule out a blood clot" in heard[-1].speech

    no_risk = new_device()
    no_risk.launch()
    outcome = check(no_risk, **{sign: "u"})[-1]
    assert outcome.speech.startswith("Please see a doctor soon to rule out a clot.")
    assert "start the" not in outcome.speech


def test_a_leg_gone_cold_or_pale_is_an_emergency(device):
    device.launch()
    heard = check(device, deep_vein_thrombosis="y", limb_threat="y")
    assert heard[-2].speech == "Has that leg gone cold, or pale or blue?"
    assert heard[-1].speech.startswith("Call 9 1 1 now. The leg may have lost its blood supply")


def test_a_swollen_leg_that_is_not_cold_is_same_day_for_a_clot(device):
    device.launch()
    outcome = check(device, deep_vein_thrombosis="y")[-1]
    assert outcome.speech.startswith("Get checked today: contact")
    assert "blood clot" in outcome.speech


# --- breathlessness -----------------------------------------------------------------------------

def test_breathlessness_is_asked_as_new(device):
    """"She gets a bit breathless but she always does": the question asks about new
    breathlessness, so her usual breathlessness is a "no"."""
    device.launch()
    device.say("I'm asking for my mother")
    device.say("check my symptoms")
    second = device.say("no")
    assert "Is she newly short of breath" in second.speech
    assert "new breathlessness" in second.reprompt
    third = device.say("no")
    assert "Did her pain start suddenly" in third.speech


# --- age and how long -------------------------------------------------------------------------

def test_pain_for_more_than_six_weeks_or_new_at_sixty_is_a_doctor_soon(device):
    """The vignettes: a 70-year-old with new persistent pain, and sciatica not better after
    many weeks, were both told self-care."""
    device.launch()
    heard = check(device, lasting_or_older="y", below_knee="y")
    assert "more than six weeks without getting better, or are you 60 or over" in asked(heard)
    outcome = heard[-1]
    assert outcome.speech.startswith("Please see a doctor in the next week or two")
    assert "start the" not in outcome.speech
    assert "won't start a routine" in device.say("start the sciatica routine")


# --- causes from evidence ---------------------------------------------------------------------

def test_a_lump_behind_the_knee_is_asked_where_it_separates_a_bakers_cyst_from_the_nerve(device):
    """Pain spreading below the knee with no back pain and no walking cramp: a lump behind
    the knee is a Baker's cyst to get checked, not sciatica to stretch."""
    device.launch()
    heard = check(device, below_knee="y", lump_knee="y")
    assert "Is there a lump or swelling behind the knee?" in heard[-2].speech
    outcome = heard[-1]
    assert outcome.speech.startswith("Please see a doctor within days to check the lump")
    assert "same day" in outcome.speech and "start the" not in outcome.speech
    assert "Baker's cyst" in device.say("tell me more")


def test_no_lump_behind_the_knee_leaves_the_nerve(device):
    device.launch()
    heard = check(device, below_knee="y")
    assert "Is there a lump or swelling behind the knee?" in heard[-2].speech
    assert "most likely sciatica" in heard[-1].speech


def test_not_sure_about_a_cauda_equina_sign_with_sciatica_is_go_now(device):
    device.launch()
    outcome = check(device, cauda_equina="u", below_knee="y")[-1]
    assert outcome.speech.startswith("Go to the emergency room now to be checked, or call 9 1 1.")


@pytest.mark.parametrize("answered", ["nn", "nny"])
def test_a_fall_said_to_how_it_started_answers_it_and_the_check_goes_on(device, answered):
    """"Yes, I fell on the ice" to "did it start suddenly, with a fall...?" (or to "a fall,
    an accident, or a blow?"): the answer, a fall, and the fall's own questions next."""
    device.launch()
    device.say("check my symptoms")
    for code in answered:
        device.say(SAY[code])
    heard = device.intent("WarningFallIntent", answer=("yes", "yes"))
    assert heard.state.answers == "nnyy"
    assert heard.speech.startswith("Are you unable to get up, or was it a serious accident")
    assert heard.state.mode == "check"


def test_a_fall_with_cannot_get_up_mid_check_is_the_emergency_at_once(device):
    device.launch()
    device.say("check my symptoms")
    device.say("no")
    heard = device.intent("WarningFallIntent", stuck=("can't get up", "cannot_get_up"))
    assert heard.speech.startswith("Call 9 1 1 now")


def test_the_questions_a_fall_answers_are_the_checks_own():
    from thigh_coach.dialog import FALL_QUESTIONS

    triage = get_content().triage
    assert set(FALL_QUESTIONS) <= {q.id for q in (*triage.red_flags, *triage.patterns)}
