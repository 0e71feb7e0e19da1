"""Rules that must hold in every conversation, checked over thousands of random ones.

A hypothesis state machine drives the real lambda_handler with random sequences of every
routed intent and slot value (side trips mid-check and mid-routine, warning signs, new
sessions, other locales), and after every turn checks:
- an answer changes the check only if the response before it asked that check question;
- after any warning sign in the session, no routine step is spoken and nothing offers a
  stretch, and the session's safety memory never lapses;
- every response that keeps the session open ends with a question and has a reprompt
  that is a question;
- every emergency or urgent response names the locale's number;
- after nerve symptoms in the session, no exercise that tensions the sciatic nerve is led;
- no routine starts before the safety screen in a session without a completed check.
"""

from __future__ import annotations

import importlib
import os
import re
import tempfile

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from helpers import Device, Heard, leads_a_step
from thigh_coach.alexa.handlers import ROUTES, WARNING_SIGNS
from thigh_coach.content import get_content
from thigh_coach.state import Ask, Conversation

CONTENT = get_content()
LOCALES = list(CONTENT.locales)
UNRESOLVED = ("something odd", None)


def choices(ids):
    return st.sampled_from([(i.replace("_", " "), i) for i in ids] + [UNRESOLVED])


# intent -> its slots' strategies (a slot may also be missing altogether)
ANSWERED = choices(["yes", "no", "unsure"])
SLOTS = {
    **{intent: {"answer": ANSWERED} for intent in [*WARNING_SIGNS, "WarningFallIntent"]},
    "CauseInfoIntent": {"cause": choices(list(CONTENT.causes))},
    "StartRoutineIntent": {"routine": choices(list(CONTENT.routines))},
    "SideIntent": {"side": choices(["left", "right", "both"])},
    "SideOnlyIntent": {"only_side": choices(["left", "right"])},
    "SoreSideIntent": {"sore_side": choices(["left", "right"])},
    "CaregiverIntent": {"person": choices(["she", "he", "they"])},
    "HoldSecondsIntent": {"seconds": st.sampled_from(["5", "45", "90"])},
    "ReminderIntent": {"time": st.sampled_from(["19:00", "07:30", "EV"])},
}
# Every routed intent, and more often what keeps a conversation going (answers, next,
# starting the check or a routine), so the walks get deep into the check and the routines.
INTENTS = sorted(ROUTES) + ["UnsureIntent"] * 4 + ["AMAZON.NextIntent"] * 14 + [
    "AMAZON.YesIntent", "AMAZON.NoIntent"] * 9 + ["CheckSymptomsIntent"] * 10 + [
    "StartRoutineIntent"] * 5 + ["NervePainIntent"] * 2
# Requests that are themselves a warning sign (the skill must remember them).
SIGNS = {*WARNING_SIGNS, "WarningFallIntent", "DizzyIntent", "SharpPainIntent", "CallForHelpIntent"}
ANSWERS = {"AMAZON.YesIntent": "yes", "AMAZON.NoIntent": "no", "UnsureIntent": "unsure",
           "SignDeniedIntent": "no"}
ROUTINE_NAMES = [r.name for r in CONTENT.routines.values()]
NAMES = "|".join(map(re.escape, ROUTINE_NAMES))
OFFERS_A_STRETCH = re.compile(
    rf"start the ({NAMES})|back to the ({NAMES})|I can lead|start a stretch|carry on from there",
    re.I)
ADVICE_CARDS = {"emergency": "Call ", "urgent": "Get checked today"}
TURNS = {"count": 0}
# the questions about the user's body, which the read-aloud publish mode never asks
ABOUT_THE_BODY = {Ask.CHECK_QUESTION, Ask.PAIN_SEVERE, Ask.PAIN_SHARP, Ask.GET_UP}
SEEN = {"check questions answered": 0, "warning signs": 0, "routine steps": 0,
        "side trips mid-check": 0}


def fresh_app():
    """The real skill on an embedded store of its own (the fixtures are per test function,
    and a state machine runs many examples in one)."""
    import thigh_coach.app

    return importlib.reload(thigh_coach.app)


APP = None



class Conversations(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.device = Device(APP.lambda_handler)
        self.before = Conversation()
        self.after = Conversation()
        self.heard: Heard | None = None
        self.intent = ""
        self.value: str | None = None
        self.warned = False  # a warning sign came up in this session
        self.nerve = False  # nerve symptoms came up in this session
        self.session_over = False

    @initialize(locale=st.sampled_from(LOCALES))
    def open_the_skill(self, locale):
        self.device.session.locale = locale
        self.turn(self.device.launch, "LaunchRequest")

    def turn(self, send, intent, value=None):
        if self.session_over:  # this request starts a new session: nothing carries over
            self.warned, self.nerve, self.session_over = False, False, False
        self.before = self.after if self.device.session.attributes else Conversation()
        self.intent, self.value = intent, value
        self.heard = send()
        TURNS["count"] += 1
        self.after = self.heard.state
        if self.before.asking == Ask.CHECK_QUESTION:
            key = ("check questions answered" if len(self.after.answers) > len(self.before.answers)
                   else "side trips mid-check")
            SEEN[key] += 1
        SEEN["warning signs"] += self.before.signal is None and self.after.signal is not None
        SEEN["routine steps"] += leads_a_step(self.heard)
        if not self.heard.listening:
            self.device.session.restart()  # the session ended: the next request starts one
            self.after, self.session_over = Conversation(), True

    @rule(intent=st.sampled_from(INTENTS), data=st.data())
    def say(self, intent, data):
        self._say(intent, data)

    @precondition(lambda self: self.after.asking == Ask.SCREEN)
    @rule()
    def pass_the_screen(self):
        """Mostly "no" to the screen before a routine, so the walks get into the routines."""
        self.turn(lambda: self.device.intent("AMAZON.NoIntent"), "AMAZON.NoIntent", "no")

    @precondition(lambda self: self.after.signal is None and self.after.place is None)
    @rule(routine=st.sampled_from(list(CONTENT.routines)))
    def start_a_routine(self, routine):
        """A routine, and "no" to the screen if it is asked: the walks reach the steps."""
        self.turn(lambda: self.device.intent("StartRoutineIntent", routine=(routine, routine)),
                  "StartRoutineIntent")
        if self.heard.listening and self.after.asking == Ask.SCREEN:
            self.pass_the_screen()

    @precondition(lambda self: self.after.asking == Ask.READY)
    @rule()
    def next_in_a_routine(self):
        self.turn(lambda: self.device.intent("AMAZON.NextIntent"), "AMAZON.NextIntent")

    def _say(self, intent, data):
        slots = {}
        for name, values in SLOTS.get(intent, {}).items():
            if data.draw(st.booleans(), label=f"{name} present"):
                slots[name] = data.draw(values, label=name)
        value = ANSWERS.get(intent) or slots.get("answer", (None, None))[1]
        if intent in SIGNS:
            self.warned = True
        self.turn(lambda: self.device.intent(intent, **slots), intent, value)
        if intent == "NervePainIntent" and self.heard.listening:
            self.nerve = True

    @rule(intent=st.sampled_from(["AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.NextIntent"]))
    def answer_often(self, intent):
        """Yes, no and next are what people say most; say them more often."""
        self.turn(lambda: self.device.intent(intent), intent, ANSWERS.get(intent))

    @precondition(lambda self: self.after.asking == Ask.CHECK_QUESTION)
    @rule(value=st.sampled_from(["no"] * 6 + ["yes", "unsure"]),
          phrase=st.sampled_from(["UnsureIntent", "AMAZON.YesIntent", "AMAZON.NoIntent"]))
    def answer_the_check(self, value, phrase):
        """Mostly "no": the walk gets past the warning signs to the questions about the pain."""
        self._answer(value, phrase)

    @precondition(lambda self: self.after.asking == Ask.CHECK_QUESTION)
    @rule(value=st.sampled_from(["no"] * 6 + ["yes", "unsure"]))
    def answer_the_check_plainly(self, value):
        self._answer(value, "UnsureIntent")

    def _answer(self, value, phrase):
        intent = {"yes": "AMAZON.YesIntent", "no": "AMAZON.NoIntent", "unsure": "UnsureIntent"}[value]
        self.turn(lambda: self.device.intent(intent), intent, value)

    @rule()
    def walk_away(self):
        """Silence: Alexa ends the session; the next request is a new one."""
        self.device.end("EXCEEDED_MAX_REPROMPTS")
        self.device.session.restart()
        self.after, self.session_over = Conversation(), True
        self.turn(self.device.launch, "LaunchRequest")

    # --- the rules ----------------------------------------------------------------------

    @invariant()
    def an_answer_binds_to_the_question_just_asked(self):
        before, after = self.before, self.after
        if len(after.answers) > len(before.answers):
            assert before.asking == Ask.CHECK_QUESTION, (self.intent, before, after)
            # an answer, or a warning sign said with one ("yes, both my legs are numb")
            assert self.intent in ANSWERS or (self.intent in SIGNS and self.value), self.intent
            assert after.answers[:-1] == before.answers
        if (before.asking == Ask.CHECK_QUESTION and self.value in ("yes", "no", "unsure")
                and self.heard.listening):
            # the answer was taken: recorded, or it ended the check with an outcome
            assert len(after.answers) == len(before.answers) + 1 or not after.check_open

    @invariant()
    def no_stretch_after_a_warning_sign(self):
        heard = self.heard
        if heard is None:
            return
        if self.before.signal is not None and heard.listening:
            assert self.after.signal is not None, "safety memory lapsed"
        if self.intent in SIGNS and heard.listening and self.warned:
            assert self.after.signal is not None, (self.intent, heard.speech)
        if self.before.signal is not None or self.warned:
            assert not leads_a_step(heard), (self.intent, heard.speech)
            assert not OFFERS_A_STRETCH.search(heard.speech), (self.intent, heard.speech)
            assert not OFFERS_A_STRETCH.search(heard.reprompt), (self.intent, heard.reprompt)
        if self.after.signal is not None:
            self.warned = True

    @invariant()
    def no_routine_starts_before_the_screen(self):
        """In a session without a completed check, the screen comes before any routine."""
        if self.heard is not None and leads_a_step(self.heard):
            assert self.after.screened, (self.intent, self.before, self.heard.speech)

    @invariant()
    def no_nerve_stretch_after_nerve_symptoms(self):
        if not self.nerve or self.heard is None or not self.heard.listening:
            return
        assert self.after.nerve, "the session forgot the nerve symptoms"
        place = self.after.place
        if place is not None and leads_a_step(self.heard):
            exercise = CONTENT.exercises[CONTENT.routines[place.routine].exercises[place.exercise]]
            assert not exercise.tensions_nerve, (self.intent, self.heard.speech)
        for exercise in CONTENT.exercises.values():
            if exercise.tensions_nerve:
                name = exercise.name[0].upper() + exercise.name[1:] + "."
                assert name not in self.heard.speech, (self.intent, self.heard.speech)

    @invariant()
    def read_aloud_asks_nothing_about_health(self):
        if os.environ.get("SYMPTOM_CHECK") == "read-aloud" and self.heard is not None:
            assert self.after.asking not in ABOUT_THE_BODY, (self.intent, self.heard.speech)

    @invariant()
    def every_open_response_asks_a_question(self):
        heard = self.heard
        if heard is None or not heard.listening:
            return
        assert heard.speech.endswith("?"), (self.intent, heard.speech)
        assert heard.reprompt.endswith("?"), (self.intent, heard.reprompt)

    @invariant()
    def advice_names_the_local_number(self):
        heard = self.heard
        if heard is None or not heard.card:
            return
        locale = CONTENT.locales[self.device.session.locale]
        title = heard.card.get("title", "")
        if title.startswith(ADVICE_CARDS["emergency"]):
            assert locale.emergency in heard.speech, heard.speech
        if title == ADVICE_CARDS["urgent"]:
            assert locale.same_day in heard.speech or locale.emergency in heard.speech


def run_machine(monkeypatch, max_examples: int, mode: str = "questions") -> None:
    global APP
    monkeypatch.delenv("TABLE_NAME", raising=False)
    monkeypatch.delenv("SKILL_ID", raising=False)
    monkeypatch.setenv("STORE_PATH", os.path.join(tempfile.mkdtemp(), "store.sqlite3"))
    monkeypatch.setenv("SYMPTOM_CHECK", mode)
    APP = fresh_app()
    TURNS["count"] = 0
    SEEN.update(dict.fromkeys(SEEN, 0))
    Conversations.TestCase.settings = settings(
        max_examples=max_examples, stateful_step_count=50, deadline=None,
        derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    Conversations.TestCase().runTest()


@pytest.mark.slow
def test_conversation_rules_hold_over_random_conversations(monkeypatch):
    run_machine(monkeypatch, 200)
    assert TURNS["count"] >= 5000, TURNS["count"]
    # the walk reached what the rules are about, often (else they held vacuously)
    assert all(n >= 50 for n in SEEN.values()), SEEN


@pytest.mark.slow
def test_the_read_aloud_mode_never_asks_about_the_users_health(monkeypatch):
    run_machine(monkeypatch, 60, mode="read-aloud")
    assert TURNS["count"] >= 1500, TURNS["count"]
    assert SEEN["check questions answered"] == 0 and SEEN["routine steps"] >= 5, SEEN
