"""The symptom check and cause explanations, as conversations through lambda_handler."""

from __future__ import annotations

import pytest

from helpers import Device, check_answers, leads_a_step, past_screen, past_setup, to_first_hold, understanding
from thigh_coach.alexa.handlers import WARNING_SIGNS
from thigh_coach.content import get_content
from thigh_coach.triage import SymptomCheck

CONTENT = get_content()
FLAGS = CONTENT.triage.red_flags
SAID = [f for f in FLAGS if f.phrases]  # flags a user can say at any moment
ASKED = [f for f in FLAGS if f.question and not f.ask_if]  # flags the check always asks
SAY = {"y": "yes", "n": "no", "u": "not sure"}
NUMBERS = {"en-US": "9 1 1", "en-GB": "9 9 9", "en-CA": "9 1 1", "en-AU": "triple zero",
           "en-IN": "1 1 2"}
SAME_DAY = {"en-US": "a doctor today, or an urgent care clinic",
            "en-GB": "N H S 1 1 1", "en-CA": "8 1 1, or a walk-in clinic today",
            "en-AU": "healthdirect, one eight hundred, oh two two, two two two",
            "en-IN": "a doctor today"}
SOON = {"en-US": "a doctor", "en-GB": "a G P", "en-CA": "a doctor",
        "en-AU": "a G P", "en-IN": "a doctor"}
ALL_CLEAR = "n" * len(ASKED)


def answer(device: Device, answers: str):
    heard = None
    for a in answers:
        heard = device.say(SAY[a])
    return heard


def start_check(device: Device):
    device.launch()
    return device.say("check my symptoms")


def path_to(cause_id: str, first: bool = True) -> str:
    """Answers (no warning sign) whose outcome names this cause (first, unless `first` is
    off), the shortest such."""
    check = SymptomCheck(CONTENT)

    def walk(answers: str = ""):
        step = check.step(answers)
        if step.outcome is not None:
            yield answers, step.outcome
            return
        for code in "n" if step.asks_a_sign else "yn":
            yield from walk(answers + code)

    for answers, outcome in sorted(walk(), key=lambda p: len(p[0])):
        named = [] if outcome.stops_early else [c.id for c in outcome.causes]
        if named and (named[0] == cause_id if first else cause_id in named):
            return answers
    raise AssertionError(f"no answers lead to {cause_id}")


# --- red flags -------------------------------------------------------------------------------

def test_every_red_flag_in_the_clinical_reference_is_screened():
    covered = {c for f in FLAGS for c in f.covers}
    for row in ["cauda equina syndrome", "possible pulmonary embolism with leg signs",
                "acute limb ischaemia", "compartment syndrome", "major trauma",
                "deep vein thrombosis", "progressive weakness",
                "suspected complete hamstring tear", "infection",
                "severe pain not eased by rest", "cancer history", "unexplained weight loss",
                "night pain"]:
        assert row in covered, row
    # claudication is asked as a pattern, and a named claudication needs a doctor soon
    assert CONTENT.causes["claudication"].level == "soon"


def test_the_safety_check_is_a_handful_of_questions_asked_first():
    assert len(ASKED) <= 8  # seven signs, and "did it start suddenly, with a fall...?"
    levels = [f.level for f in FLAGS if not f.ask_if and f.level]
    assert levels == sorted(levels, key=["emergency", "urgent", "soon"].index)
    for follow_up in (f for f in FLAGS if f.ask_if):  # asked right after what it follows
        before = [f.id for f in FLAGS[:FLAGS.index(follow_up)]]
        assert all(q in before for c in follow_up.ask_if for q in c), follow_up.id


def test_red_flag_questions_come_first_and_an_emergency_yes_stops_at_once(device):
    first = start_check(device)
    assert "Safety questions first" in first
    assert "bladder or bowels" in first
    heard = device.say("yes")
    assert "Call 9 1 1" in heard and "emergency" in heard
    assert heard.listening and "Call 9 1 1 now" in heard.reprompt
    assert heard.card and "911" in heard.card["content"]
    assert "Did the pain start suddenly" not in heard  # no more questions


@pytest.mark.parametrize("flag", SAID, ids=lambda f: f.id)
def test_each_flag_phrase_reaches_its_warning_sign_in_every_locale(flag):
    for locale in NUMBERS:
        for phrase in flag.phrases:
            match = understanding(locale).match(phrase)
            assert WARNING_SIGNS.get(match.intent) == flag.id, (locale, phrase, match)


STATES = ["home", "mid-question", "mid-explanation", "mid-routine"]


def get_into(device: Device, state: str) -> None:
    device.launch()
    if state == "mid-question":
        device.say("check my symptoms")
        device.say("no")
    elif state == "mid-explanation":
        device.say("tell me about sciatica")
    elif state == "mid-routine":
        assert "Begin." in to_first_hold(device, device.say("start the hamstring stretches"))


EXPECT = {"emergency": "Call 9 1 1", "urgent": "today", "soon": "within days"}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("flag", SAID, ids=lambda f: f.id)
def test_a_red_flag_said_at_any_moment_interrupts(new_device, flag, state):
    device = new_device()
    get_into(device, state)
    heard = device.say(flag.phrases[0])
    assert EXPECT[flag.level] in heard, heard.speech
    assert heard.listening and heard.reprompt
    assert heard.state.place is None  # a routine that was running has ended
    if state == "mid-routine":
        assert "There's no routine running" in device.say("next")
    assert not leads_a_step(heard)
    if flag.level != "soon":
        assert "start the" not in heard.speech.lower()  # no routine offered


def test_after_a_red_flag_no_routine_is_started(device):
    device.launch()
    device.say("my leg is swollen and hot")
    heard = to_first_hold(device, device.say("start the hamstring stretches"))
    assert "won't start a routine" in heard and not leads_a_step(heard)


# --- levels and locales ----------------------------------------------------------------------

@pytest.mark.parametrize("locale", NUMBERS)
def test_every_outcome_level_in_every_locale_names_the_local_number(new_device, locale):
    emergency = new_device(locale=locale)
    start_check(emergency)
    heard = answer(emergency, "y")
    assert heard.speech.startswith(f"Call {NUMBERS[locale]} now, or go to")
    assert f"{NUMBERS[locale]} now" in heard.reprompt

    urgent = new_device(locale=locale)
    start_check(urgent)
    heard = answer(urgent, check_answers(deep_vein_thrombosis="y"))  # one leg swollen, warm...
    assert heard.speech.startswith(f"Get checked today: contact {SAME_DAY[locale]}")
    assert NUMBERS[locale] in heard and "blood clot" in heard

    soon = new_device(locale=locale)
    start_check(soon)
    heard = answer(soon, check_answers(cancer_or_night_pain="y"))  # cancer in the past
    assert "within days" in heard and SOON[locale] in heard
    assert "start the" not in heard.speech  # no routine after a red flag

    well = new_device(locale=locale)
    start_check(well)
    heard = answer(well, check_answers(sudden="y"))  # a strain in sport, weeks ago
    assert heard.speech.startswith("Nothing you told me needs urgent care.")
    assert "This isn't a diagnosis" in heard
    assert heard.card and heard.card["title"] == "Likely causes"


def test_not_sure_to_an_emergency_question_is_never_read_as_no(device):
    """Not sure about chest pain or breathlessness: same day at least (not sure about a cauda
    equina sign is go now: the test below)."""
    start_check(device)
    heard = answer(device, check_answers(pulmonary_embolism="u"))
    assert "weren't sure" in heard and "checked today" in heard
    assert "Did the pain start suddenly" not in heard


def test_not_sure_to_an_urgent_question_raises_the_level_and_blocks_routines(device):
    start_check(device)
    # not sure about weakness, fever or severe pain; then a strain in sport, weeks ago
    answers = check_answers(urgent_signs="u", sudden="y")
    heard = answer(device, answers[:-1])
    assert "Now a few questions about the pain" in heard  # the check goes on
    assert "in the last few days?" in heard
    heard = answer(device, answers[-1])
    assert "weren't sure" in heard and "within days" in heard
    assert "Would you like to start" not in heard
    assert "won't start a routine" in to_first_hold(device, device.say("start the hamstring stretches"))


def test_not_sure_about_a_swollen_leg_with_a_clots_risk_is_same_day(device):
    """Not sure about a clot's sign, after an operation, a long journey or bed rest: same
    day, with the clot named and the safety net (docs/clinical-reference.md)."""
    start_check(device)
    heard = answer(device, check_answers(deep_vein_thrombosis="u", clot_risk="y"))
    assert "An operation, a hospital stay, a long journey, or bed rest lately?" in \
        device.history[-2].reprompt
    assert heard.speech.startswith("Get checked today: contact")
    assert "rule out a blood clot" in heard
    assert "If breathlessness or chest pain starts, call 9 1 1" in heard


def test_not_sure_about_a_swollen_leg_without_a_risk_is_a_doctor_soon(device):
    start_check(device)
    heard = answer(device, check_answers(deep_vein_thrombosis="u"))
    assert heard.speech.startswith("Please see a doctor soon to rule out a clot.")
    assert "With breathlessness or chest pain, call 9 1 1" in heard
    assert "start the" not in heard.speech  # no routine


@pytest.mark.parametrize("phrase", ["I don't know", "maybe", "I'm not sure", "hard to say"])
def test_ways_of_saying_not_sure(device, phrase):
    start_check(device)
    assert device.say(phrase).state.answers == "u"


@pytest.mark.parametrize("phrase, code", [("yes it is", "y"), ("no not really", "n"),
                                          ("yeah it does", "y"), ("not at all", "n")])
def test_free_answers_containing_yes_or_no(device, phrase, code):
    start_check(device)
    assert device.say(phrase).state.answers == code


def test_repeat_the_question(device):
    asked = start_check(device)
    again = device.say("repeat the question")
    assert again.speech in asked.speech
    assert again.speech.startswith("Do you have numbness")


def test_go_back(device):
    start_check(device)
    device.say("no")
    second = device.history[-1]
    assert "short of breath" in second
    back = device.say("go back")
    assert "going back" in back and "numbness around your bottom" in back
    assert back.state.answers == ""
    first = device.say("go back")
    assert "first question" in first


def test_go_back_from_the_outcome_reopens_the_last_question(device):
    start_check(device)
    answer(device, "y")
    back = device.say("go back")
    assert "going back" in back and "numbness around your bottom" in back


def test_silence_gets_the_question_shortened(device):
    asked = start_check(device)
    assert asked.reprompt == ("Any numbness around your bottom, bladder or bowel trouble, "
                              "or weakness in both legs?")
    assert len(asked.reprompt) < len(asked.speech)


def test_an_unrelated_answer_asks_again(device):
    start_check(device)
    heard = device.say("purple monkey dishwasher")
    assert "didn't understand" in heard and heard.listening
    assert "Please answer yes, no, or not sure" in heard
    assert "Do you have numbness around your bottom" in heard
    assert heard.reprompt.startswith("Any numbness")
    assert "Do you have numbness around your bottom" in device.say("repeat")


def test_help_during_the_check(device):
    start_check(device)
    heard = device.say("help")
    assert "Answer yes, no, or not sure" in heard and "go back" in heard
    assert heard.reprompt.startswith("Any numbness")


def test_the_outcome_is_repeated_on_request_with_its_card(device):
    start_check(device)
    outcome = answer(device, check_answers(below_knee="y"))
    again = device.say("repeat")
    assert again.speech == outcome.speech and again.card == outcome.card


def test_nothing_from_the_check_is_stored(dynamo_app):
    from conftest import stored_items

    device = Device(dynamo_app.lambda_handler)
    start_check(device)
    answers = check_answers(clot_pain="y")
    answer(device, answers)
    device.say("stop")
    for item in stored_items():
        text = str(item)
        assert "ta" not in item and "clot" not in text and answers not in text


# --- causes ------------------------------------------------------------------------------------

# DVT is reached by its warning sign; a lump behind the knee by its own question, whose
# outcome is advice first (test_clinical_check).
@pytest.mark.parametrize("cause_id", [c for c in CONTENT.causes if c not in ("dvt", "above_knee")])
def test_each_cause_is_reachable_by_triage_answers(new_device, cause_id):
    device = new_device()
    start_check(device)
    heard = answer(device, path_to(cause_id, first=False))
    name = CONTENT.causes[cause_id].name
    assert name in heard.speech, heard.speech
    top = SymptomCheck(CONTENT).step(path_to(cause_id, first=False)).outcome.causes[0]
    more = device.say("tell me more")
    assert top.more[0].self_[:30] in more.speech


def test_dvt_is_reached_by_its_red_flag_and_explained(device):
    start_check(device)
    heard = answer(device, check_answers(deep_vein_thrombosis="y"))
    assert "blood clot" in heard and heard.speech.endswith("Shall I repeat that?")
    assert device.say("yes").speech == heard.speech
    more = device.say("tell me about D V T")
    assert "blood clot in a deep vein" in more


@pytest.mark.parametrize("cause_id", list(CONTENT.causes))
def test_each_cause_is_reachable_by_name(new_device, cause_id):
    cause = CONTENT.causes[cause_id]
    for phrase in (f"tell me about {cause.name}", f"what is {cause.synonyms[0]}"):
        device = new_device()
        device.launch()
        heard = device.say(phrase)
        assert cause.summary.self_[:40] in heard.speech, (phrase, heard.speech)
        assert "hear more" in heard and heard.listening


@pytest.mark.parametrize("phrase, cause_id", [
    ("what is piriformis syndrome", "piriformis"), ("tell me about sciatica", "sciatica"),
    ("what causes pain behind my knee", "above_knee"),
    ("why does it hurt when I sit", "tendinopathy")])
def test_the_phrasings_from_the_issue(device, phrase, cause_id):
    device.launch()
    assert CONTENT.causes[cause_id].summary.self_[:40] in device.say(phrase).speech


def test_a_cause_is_explained_in_chunks_then_offers_its_routine(device):
    device.launch()
    device.say("tell me about piriformis syndrome")
    chunks = [device.say("yes") for _ in range(5)]
    assert "long sitting" in chunks[0]
    assert "When to see a doctor" in chunks[-1]
    assert "start the piriformis and sitting routine" in chunks[-1]
    assert "Begin." in to_first_hold(device, device.say("yes"))


def test_an_unknown_cause_gets_the_list(device):
    device.launch()
    # what a device sends when the slot's words are no value (ER_SUCCESS_NO_MATCH)
    heard = device.intent("CauseInfoIntent", cause=("gout", None))
    assert "don't have information on that" in heard
    assert "sciatica" in heard and "hamstring strain" in heard and heard.listening


def test_a_fresh_strain_gets_rest_not_stretching(device):
    start_check(device)
    heard = answer(device, check_answers(sudden="y", recent="y"))  # in sport, days ago, no bad tear
    assert "hamstring strain" in heard and "no stretching yet" in heard
    assert "Would you like to start" not in heard and "start the" not in heard.speech
    refused = to_first_hold(device, device.say("start the hamstring stretches"))
    assert "A fresh strain needs a few days of rest" in refused and not leads_a_step(refused)


def test_signs_of_a_bad_tear_are_same_day(device):
    start_check(device)
    heard = answer(device, check_answers(sudden="y", recent="y", tear="y"))
    assert heard.speech.startswith("Get checked today: contact") and "bad tear" in heard


def test_answers_of_no_name_no_cause(device):
    """A cause is named only from evidence: "no" throughout names none, and offers the
    gentle routine (it used to say "It's most likely trigger points")."""
    start_check(device)
    heard = answer(device, check_answers())
    assert "don't point to one cause" in heard and "most likely" not in heard.speech
    assert heard.speech.endswith("Would you like to start the gentle routine?")


def test_no_outcome_names_a_cause_without_a_yes():
    """Over every path through the check: a cause is named only when some answer to a
    question that is no warning sign was yes or not sure."""
    check = SymptomCheck(CONTENT)

    def walk(answers: str = "", patterns: str = ""):
        step = check.step(answers)
        if step.outcome is not None:
            yield answers, patterns, step.outcome
            return
        for code in "ynu":
            yield from walk(answers + code, patterns + ("" if step.asks_a_sign else code))

    unsupported = 0
    for answers, patterns, outcome in walk():
        if outcome.stops_early or not patterns:
            continue
        if set(patterns) == {"n"}:
            unsupported += 1
            assert outcome.causes == (), answers
    assert unsupported


# --- caregivers ------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, subject, possessive", [
    ("I'm asking for my mother", "she", "her"), ("I'm helping my husband", "he", "his"),
    ("it's for my dad", "he", "his"), ("I'm asking for my mom", "she", "her"),
    ("I'm asking for my friend", "the person you're helping", "their"),
    ("I'm asking for someone else", "the person you're helping", "their")])
def test_caregiver_wording(device, phrase, subject, possessive):
    device.launch()
    device.say(phrase)
    first = device.say("check my symptoms")
    assert f"Does {subject} have numbness around the bottom" in first
    assert f"check {possessive} symptoms" in first
    answer(device, "nn")
    third = device.history[-1]
    assert f"Did {possessive} pain start suddenly, with a fall" in third
    assert "your" not in third.speech.lower()


def test_caregiver_outcome_and_instructions_are_for_the_helper(device):
    device.launch()
    device.say("it's for my dad")
    device.say("check my symptoms")
    heard = answer(device, "y")
    assert "Call 9 1 1 for him now, or take him to the emergency room" in heard
    assert device.say("it's for me").state.who == "self"
    heard = device.say("check my symptoms")
    assert "Do you have numbness around your bottom" in heard


def test_caregiver_instructions_in_a_routine(device):
    device.launch()
    device.say("I'm helping my wife")
    heard = past_screen(device, device.say("start the sciatica routine"))
    assert "Help her lie on her back" in heard
    assert heard.speech.endswith("Is she in position? Ready to begin?")
    assert "She brings the left knee up" in past_setup(device, heard)


@pytest.mark.parametrize("phrase", ["repeat", "help", "yes", "go back", "not sure"])
def test_a_session_with_more_answers_than_questions_starts_the_check_afresh(device, phrase):
    device.launch()
    device.session.attributes["c"] = {"m": "check", "a": "check", "co": 1, "ta": "n" * 20}
    heard = device.say(phrase)
    assert heard.listening and "something went wrong" not in heard


# --- answers said with detail, and a warning sign inside an answer -----------------------------

@pytest.mark.parametrize("said, answers", [("yeah two days ago", "y"), ("no just the one leg", "n"),
                                           ("not sure maybe", "u")])
def test_an_answer_with_detail_binds_as_the_answer(new_device, said, answers):
    device = new_device()
    start_check(device)
    heard = device.say(said)
    if answers == "y":  # yes to the first safety question (the nerves at the base of the spine)
        assert "Call 9 1 1 now" in heard.speech
    else:
        assert heard.state.answers == answers and heard.reprompt.endswith("?")


def test_a_warning_sign_inside_an_answer_is_acted_on(new_device):
    device = new_device()
    start_check(device)
    heard = device.say("yes both my legs are numb")
    assert "Call 9 1 1 now" in heard.speech


def test_the_more_serious_of_answer_and_sign_is_heard(new_device):
    device = new_device()
    start_check(device)
    # "no" to the first safety question, but a clot sign said in the same breath
    heard = device.intent("WarningClotIntent", answer=("no", "no"))
    assert "Get checked today" in heard.speech and "blood clot" in heard.speech
    device = new_device()
    start_check(device)
    # "yes" to the emergency question, with an urgent sign: the emergency wins
    heard = device.intent("WarningClotIntent", answer=("yes", "yes"))
    assert "Call 9 1 1" in heard.speech and "Get checked today" not in heard.speech


def test_clot_signs_are_named_as_any_one_of_them():
    """One leg swollen, or warm, or red or darker, is each enough (NHS DVT): no text joins
    them with "and", which reads as all three needed."""
    import re

    for path in sorted(CONTENT.directory.glob("*.yaml")):
        text = path.read_text()
        assert not re.search(r"swollen, warm,? and red", text), path.name


def test_australia_hears_healthdirects_number(app):
    device = Device(app.lambda_handler, locale="en-AU")
    device.launch()
    heard = device.say("my calf is swollen and hot")
    assert "healthdirect, one eight hundred, oh two two, two two two" in heard


def test_indian_english_paining_is_pain_not_a_clot(app):
    """"my thigh is paining since two days" says it hurts, not that the leg is swollen."""
    device = Device(app.lambda_handler, locale="en-IN")
    device.launch()
    heard = device.say("my thigh is paining since two days")
    assert "clot" not in heard.speech and "Get checked today" not in heard.speech
    assert heard.listening and "Is the pain so bad that you can't rest" in heard.speech


def test_not_sure_about_a_cauda_equina_sign_is_go_now(device):
    """NHS cauda equina advice: don't wait to be sure."""
    start_check(device)
    heard = answer(device, check_answers(cauda_equina="u"))
    assert heard.speech.startswith("Go to the emergency room now to be checked, or call 9 1 1.")
    assert heard.state.advice == "emergency"
