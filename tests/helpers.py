"""A device talking to the real lambda_handler, and what its user hears."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from thigh_coach.content import get_content
from thigh_coach.local.envelopes import Session, slot
from thigh_coach.local.nlu import Matcher
from thigh_coach.local.understanding import Understanding
from thigh_coach.speech import to_text
from thigh_coach.state import SESSION_KEY, Conversation

REPO = Path(__file__).resolve().parents[1]
MODELS = REPO / "interaction_model"
EVENTS = Path(__file__).parent / "events"
_matchers: dict[str, Matcher] = {}
_understandings: dict[str, Understanding] = {}


def matcher(locale: str) -> Matcher:
    """The grammar alone (exact stage): what a sample says word for word."""
    if locale not in _matchers:
        _matchers[locale] = Matcher.for_locale(MODELS, locale)
    return _matchers[locale]


def understanding(locale: str) -> Understanding:
    """Both stages, as a device hears and as `thigh-coach chat` does (trained once, cached)."""
    if locale not in _understandings:
        _understandings[locale] = Understanding.for_locale(MODELS, locale)
    return _understandings[locale]


@dataclass
class Heard:
    """One response, as the user experiences it."""

    raw: dict

    @property
    def body(self) -> dict:
        return self.raw.get("response", {})

    @property
    def ssml(self) -> str:
        return (self.body.get("outputSpeech") or {}).get("ssml", "")

    @property
    def speech(self) -> str:
        return to_text(self.ssml) if self.ssml else ""

    @property
    def reprompt(self) -> str:
        reprompt = self.body.get("reprompt")
        return to_text(reprompt["outputSpeech"]["ssml"]) if reprompt else ""

    @property
    def listening(self) -> bool:
        return self.body.get("shouldEndSession") is False

    @property
    def card(self) -> dict | None:
        return self.body.get("card")

    @property
    def directives(self) -> list[dict]:
        return self.body.get("directives") or []

    @property
    def session(self) -> dict:
        return self.raw.get("sessionAttributes") or {}

    @property
    def state(self) -> Conversation:
        """The conversation state this response carries to the next turn."""
        return Conversation.from_attributes(self.session.get(SESSION_KEY), get_content())

    def __contains__(self, text: str) -> bool:
        return text.lower() in self.speech.lower()


class Device:
    """One user's device: launches, intents and typed phrases through lambda_handler."""

    def __init__(self, handler, locale: str = "en-US", screen: bool = False,
                 user_id: str | None = None) -> None:
        self.handler = handler
        self.session = Session(locale=locale, screen=screen)
        if user_id:
            self.session.user_id = user_id
        self.history: list[Heard] = []
        self.sent: list[dict] = []  # every request envelope, as sent

    def send(self, envelope: dict) -> Heard:
        # what Alexa would transmit: JSON text, so nothing non-serialisable slips through
        self.sent.append(envelope)
        raw = self.handler(json.loads(json.dumps(envelope)), None)
        heard = Heard(json.loads(json.dumps(raw)))
        self.session.absorb(raw)
        self.history.append(heard)
        return heard

    def launch(self) -> Heard:
        self.session.restart()
        return self.send(self.session.launch())

    def intent(self, name: str, **slots) -> Heard:
        """slots: name=(heard, id) for a custom type, or name="value" for AMAZON types."""
        built = {}
        for key, value in slots.items():
            if isinstance(value, tuple):
                built[key] = slot(key, value[0], value[1], slot_type="CUSTOM")
            else:
                built[key] = slot(key, value)
        return self.send(self.session.intent(name, built))

    def say(self, line: str) -> Heard:
        """A phrase as a user says it, heard as the locale's model is understood on a device:
        the grammar, then the statistical stage."""
        m = understanding(self.session.locale)
        launch, rest = m.launch_phrase(line)
        if launch:
            self.session.restart()
            if rest is None:
                return self.send(self.session.launch())
            line = rest
        match = m.match(line)
        types = next((p.slot_types for p in m.patterns if p.intent == match.intent), {})
        slots = {n: slot(n, heard, vid, slot_type=types.get(n))
                 for n, (heard, vid) in match.slots.items()}
        return self.send(self.session.intent(match.intent, slots))

    def end(self, reason: str = "USER_INITIATED") -> Heard:
        return self.send(self.session.ended(reason))


def event(name: str) -> dict:
    return json.loads((EVENTS / f"{name}.json").read_text())


SCREEN = "Before we start: in the last few days"


def past_screen(device: Device, heard: Heard) -> Heard:
    """Answer "no" to the safety screen a routine starts with, once a session, so a test of
    the routine itself begins where the routine does (tests/test_routine_screen.py tests the
    screen)."""
    if SCREEN in heard.speech:
        return device.say("no")
    return heard


IN_POSITION = "Ready to begin?"  # the end of "In position? Ready to begin?"


def past_setup(device: Device, heard: Heard) -> Heard:
    """Answer "ready" to an exercise's setup, said as a turn of its own before its first
    hold, so a test of the holds begins at the first "Begin"."""
    if heard.speech.endswith(IN_POSITION):
        return device.say("ready")
    return heard


def leads_a_step(heard: Heard) -> bool:
    """The reply leads an exercise: a hold or a count ("Begin."), or getting set for one (a
    step of the routine under way that ends "Ready to go on?" or "In position? Ready to
    begin?")."""
    return "Begin." in heard.speech or (heard.state.place is not None and (
        heard.speech.endswith(("Ready to go on?", IN_POSITION))))


def to_first_hold(device: Device, heard: Heard) -> Heard:
    """Past the safety screen and the first exercise's setup."""
    return past_setup(device, past_screen(device, heard))


def check_answers(default: str = "n", **given: str) -> str:
    """The answers to the symptom check ("y", "n", "u") that give each question named in
    `given` its answer and every other question asked on the way `default`, up to the
    outcome."""
    from thigh_coach.triage import SymptomCheck

    check, answers = SymptomCheck(get_content()), ""
    while (step := check.step(answers)).outcome is None:
        answers += given.get(step.question.id, default)
    return answers
