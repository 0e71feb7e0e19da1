"""The conversation state: one typed value per session.

The Alexa layer reads it from the session attributes once per request
(`Conversation.from_attributes`, which validates every field against the content) and writes
it back once (`to_attributes`), as the session's one value (`SESSION_KEY`); the Alexa layer adds
to it, under `k`, what it keeps of the store between turns (`alexa.memory.Kept`). Nothing else
in the skill reads or writes session keys.

`asking` names the one question the last response asked. A yes, a no or a "not sure" means
something only against it: an answer changes the symptom check only when `asking` is a check
question, so a remark in between can never be taken as an answer to an earlier question.

`signal` is the session's safety memory: once a warning sign has come up, it holds until the
session ends (starting the check again does not clear it), no routine starts and nothing
offers a stretch. It is never stored: like every symptom answer, it lives in the session.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, cast

if TYPE_CHECKING:
    from .content import Content

Who = Literal["self", "she", "he", "they"]
WHO: tuple[Who, ...] = ("self", "she", "he", "they")
Side = Literal["left", "right"]
Urgency = Literal["emergency", "urgent"]  # advice to act on now or today
URGENCIES: tuple[Urgency, ...] = ("emergency", "urgent")
SESSION_KEY = "c"
# What the pending question is about: an id (a cause, routine, topic or advice level), or a
# number (the page of a list read out; a reminder's time of day, in minutes after midnight)
About = str | int | None
MINUTES_A_DAY = 24 * 60


# Mode, Ask and Signal name plain strings, which is what the session holds: Enum classes of
# this size cost about three milliseconds of every cold start (python -X importtime).


def names(kind: type) -> tuple[str, ...]:
    """Every value a class of names declares, in order."""
    return tuple(v for k, v in vars(kind).items() if k.isupper())


class Mode:
    """What the user is doing."""

    HOME: Final = "home"
    CHECK: Final = "check"  # answering the symptom check
    RESULT: Final = "result"  # heard an outcome or advice
    CAUSE: Final = "cause"  # hearing about a cause
    ROUTINE: Final = "routine"  # in a routine
    PAUSED: Final = "paused"  # a routine paused (pause, pain, "no" to "ready to go on?")
    TOPIC: Final = "topic"  # hearing an answer to a common question


class Ask:
    """The one question the last response asked; what yes and no answer."""

    WHAT_NEXT: Final = "what_next"  # open: "What would you like?"
    CHECK_QUESTION: Final = "check"  # a symptom-check question: yes, no or not sure
    START_CHECK: Final = "start_check"  # "Would you like a quick safety check?"
    MORE_SIGNS: Final = "more_signs"  # read-aloud: "Shall I read the signs to get checked today?"
    BACK_TO_CHECK: Final = "back_to_check"  # the check was interrupted: "Shall we go back to it?"
    HEAR_MORE: Final = "more"  # about: a cause id
    HEAR_TOPIC: Final = "more_topic"  # "Want to hear more?" about a topic; about: its id
    OFFER_TOPIC: Final = "offer_topic"  # "Would you like to know whether to use ice or heat?"
    START_ROUTINE: Final = "routine"  # about: a routine id
    BACK_TO_ROUTINE: Final = "back_to_routine"  # a routine was interrupted: "Shall we go back to it?"
    RESUME_SAVED: Final = "resume"  # a place saved in an earlier session
    READY: Final = "ready"  # mid-routine: "Ready to go on?"
    STOP_FOR_TODAY: Final = "stop_today"  # after "no" to READY: "Would you like to stop for today?"
    CARRY_ON: Final = "carry_on"  # paused: "Shall we carry on?"
    # paused after a phrase not understood: "What would you like to do?" No yes or no answers
    # it (a "yes" must not restart a stretch), so either is met with this question again
    AFTER_MISS: Final = "after_miss"
    SKIP: Final = "skip"  # it hurts: "Would you like to skip this exercise?"
    PAIN_SHARP: Final = "pain_sharp"  # "Was the pain sharp, or did it shoot down the leg?"
    PAIN_SEVERE: Final = "pain_severe"  # "it hurts" outside a routine: how bad is it?
    MOVE_ON: Final = "move_on"  # an exercise stopped: "Shall we move on to the next one?"
    SAY_AGAIN: Final = "say_again"  # after advice: "Shall I say that again?"
    GET_UP: Final = "get_up"  # after a fall: "Can you get up on your own?"
    FORGET: Final = "forget"  # "This deletes your saved progress. Are you sure?"
    WHICH_CAUSE: Final = "which_cause"
    WHICH_ROUTINE: Final = "which_routine"
    WHICH_TOPIC: Final = "which_topic"
    REMINDER_TIME: Final = "reminder_time"
    REMINDER_MORNING: Final = "reminder_morning"  # "Is that 7 in the morning?" about: 420 (07:00)
    REMINDER_CONFIRM: Final = "reminder_confirm"  # "Every day at 7 p m. Shall I set it?"
    SCREEN: Final = "screen"  # before a routine: a new injury, numbness or weakness, a swelling?


class Signal:
    """Why the session's safety memory is set (one plain reason is given for it)."""

    RED_FLAG: Final = "red_flag"  # a warning sign said, or answered yes in the check
    UNSURE: Final = "unsure"  # "not sure" to a warning-sign question
    SEE_DOCTOR: Final = "see_doctor"  # an outcome that says to see someone
    FRESH_STRAIN: Final = "fresh_strain"  # a suspected fresh strain: rest before stretching
    SHARP_PAIN: Final = "sharp_pain"  # a sharp or tearing pain during an exercise
    FALL: Final = "fall"
    DIZZY: Final = "dizzy"
    HELP_CALL: Final = "help_call"  # asked the speaker to call for help
    SCREENED_OUT: Final = "screen"  # "yes" to the safety screen before a routine


# The same names as types: mypy checks every assignment and every table keyed by them
# (`state.asking = "redy"` or `ON_YES["redy"]` is an error), at no cost at run time.
ModeName = Literal["home", "check", "result", "cause", "routine", "paused", "topic"]
AskName = Literal[
    "what_next", "check", "start_check", "more_signs", "back_to_check", "more", "more_topic",
    "offer_topic", "routine", "back_to_routine", "resume", "ready", "stop_today", "carry_on",
    "after_miss", "skip", "pain_sharp", "pain_severe", "move_on", "say_again", "get_up",
    "forget", "which_cause", "which_routine", "which_topic", "reminder_time",
    "reminder_morning", "reminder_confirm", "screen"]
SignalName = Literal["red_flag", "unsure", "see_doctor", "fresh_strain", "sharp_pain", "fall",
                     "dizzy", "help_call", "screen"]

MODES, ASKS = frozenset(names(Mode)), frozenset(names(Ask))
SIGNALS = cast("tuple[SignalName, ...]", names(Signal))
_SIGNAL_SET = frozenset(SIGNALS)


class CausePlace(NamedTuple):
    cause: str
    chunk: int  # the last chunk heard; -1: none yet


# What a topic place holds besides a topic id: the list of topics (chunk: the page read), and
# a cause's signs (cause: its id). content.RESERVED_TOPIC_IDS keeps topics from using them.
TOPIC_LIST = "list"
SYMPTOMS = "symptoms"


class TopicPlace(NamedTuple):
    topic: str  # a topic id, TOPIC_LIST or SYMPTOMS
    chunk: int  # the last chunk heard (the list: the page read)
    cause: str | None  # the cause the answer is about ("how long does sciatica last")


class RoutinePlace(NamedTuple):
    routine: str
    exercise: int
    step: int  # the step last presented


class Conversation:
    # A plain class, not a dataclass: the decorator costs about 2 ms of every cold start.
    __slots__ = ("mode", "asking", "about", "who", "answers", "check_open", "signal", "cause",
                 "topic", "place", "only_side", "recipe", "nerve", "advice", "screened")

    def __init__(self, *, mode: ModeName = Mode.HOME, asking: AskName | None = None,
                 about: About = None, who: Who = "self", answers: str = "",
                 check_open: bool = False, signal: SignalName | None = None,
                 cause: CausePlace | None = None, topic: TopicPlace | None = None,
                 place: RoutinePlace | None = None, only_side: Side | None = None,
                 recipe: tuple[str | int, ...] = (), nerve: bool = False,
                 advice: Urgency | None = None, screened: bool = False) -> None:
        self.mode = mode  # one of Mode
        self.asking = asking  # one of Ask: the one question the last response asked
        self.about = about  # what `asking` is about (About)
        self.who = who  # whom the questions are about: the user, or the person they help
        self.answers = answers  # the check's answers so far: "y", "n" or "u" per question
        self.check_open = check_open  # a check has started and has no outcome yet
        self.signal = signal  # one of Signal: the safety memory (see the module's docstring)
        self.cause = cause  # the cause in hand, for "more"
        self.topic = topic  # the answer to a common question in hand, for "more"
        self.place = place  # the routine under way (or interrupted) this session
        self.only_side = only_side  # "only the left side", for this session
        self.recipe = recipe  # rebuilds the last reply, for "repeat"
        # nerve symptoms came up mid-routine: the exercises that tension the sciatic nerve
        # are left out for the rest of the session (a symptom: never stored)
        self.nerve = nerve
        # the most urgent advice given this session (emergency or same day): a question
        # about heat, massage or painkillers after it gets that action, not self-care
        self.advice = advice
        # the safety screen before a routine was passed, or a check was completed: asked
        # once a session (an answer about the body: never stored)
        self.screened = screened

    def __repr__(self) -> str:
        return f"Conversation({self.to_attributes()})"

    def copy(self) -> Conversation:
        return Conversation(**{name: getattr(self, name) for name in self.__slots__})

    @property
    def helper(self) -> bool:
        return self.who != "self"

    def advised(self, level: str) -> None:
        """Advice of this level was given: the session keeps the most urgent."""
        if level == "emergency":
            self.advice = "emergency"
        elif level == "urgent" and self.advice is None:
            self.advice = "urgent"

    def remember(self, signal: SignalName) -> None:
        """Safety memory keeps the first reason: it is never cleared in a session."""
        if self.signal is None:
            self.signal = signal

    @property
    def safe_for_routine(self) -> bool:
        return self.signal is None

    # --- the session boundary -----------------------------------------------------------

    def to_attributes(self) -> dict[str, Any]:
        """Compact plain data (Alexa's whole response, session included, is at most 24 KB)."""
        out: dict[str, Any] = {"m": self.mode}
        if self.asking is not None:
            out["a"] = self.asking
        if self.about is not None:
            out["ab"] = self.about
        if self.who != "self":
            out["w"] = self.who
        if self.answers:
            out["ta"] = self.answers
        if self.check_open:
            out["co"] = 1
        if self.signal is not None:
            out["sg"] = self.signal
        if self.cause is not None:
            out["cz"] = list(self.cause)
        if self.topic is not None:
            out["tp"] = list(self.topic)
        if self.place is not None:
            out["rt"] = list(self.place)
        if self.only_side is not None:
            out["so"] = self.only_side
        if self.recipe:
            out["r"] = list(self.recipe)
        if self.nerve:
            out["nv"] = 1
        if self.advice is not None:
            out["ad"] = self.advice
        if self.screened:
            out["sc"] = 1
        return out

    @classmethod
    def from_attributes(cls, data: Any, content: Content) -> Conversation:
        """The state as the session holds it. Each field that is missing, malformed, or names
        something the content lacks (an older version of the skill, a test tool, tampering)
        falls back to its default; nothing from the session is trusted unchecked."""
        state = cls()
        if not isinstance(data, dict):
            return state
        state.mode = cast(ModeName, _known(MODES, data.get("m")) or Mode.HOME)
        state.asking = cast("AskName | None", _known(ASKS, data.get("a")))
        about = data.get("ab")
        if _is_id(about) or type(about) is int and 0 <= about < MINUTES_A_DAY:
            state.about = about
        who = data.get("w")
        if who in WHO:
            state.who = who
        state.signal = cast("SignalName | None", _known(_SIGNAL_SET, data.get("sg")))
        state.check_open = data.get("co") == 1
        answers = data.get("ta")
        if isinstance(answers, str) and _answers_valid(answers, content):
            state.answers = answers
        cause = data.get("cz")
        if (isinstance(cause, list) and len(cause) == 2 and _is_id(cause[0])
                and cause[0] in content.causes
                and _small_int(cause[1]) and cause[1] >= -1):
            state.cause = CausePlace(cause[0], cause[1])
        topic = data.get("tp")
        if (isinstance(topic, list) and len(topic) == 3
                and _topic_place_valid(topic[0], topic[1], topic[2], content)):
            state.topic = TopicPlace(topic[0], topic[1], topic[2])
        place = data.get("rt")
        if (isinstance(place, list) and len(place) == 3 and _is_id(place[0])
                and place[0] in content.routines
                and all(_small_int(i) and i >= 0 for i in place[1:])
                and place[1] < len(content.routines[place[0]].exercises)):
            state.place = RoutinePlace(place[0], place[1], place[2])
        side = data.get("so")
        if side in ("left", "right"):
            state.only_side = side
        recipe = data.get("r")
        if (isinstance(recipe, list) and 0 < len(recipe) <= 4 and isinstance(recipe[0], str)
                and all(isinstance(x, str) and len(x) <= 64
                        or type(x) is int and -1 <= x < MINUTES_A_DAY for x in recipe)):
            state.recipe = tuple(recipe)
        state.nerve = data.get("nv") == 1
        state.screened = data.get("sc") == 1
        advice = data.get("ad")
        if advice in URGENCIES:
            state.advice = advice
        if state.mode in (Mode.ROUTINE, Mode.PAUSED) and state.place is None:
            state.mode = Mode.HOME
        if state.asking == Ask.CHECK_QUESTION and not state.check_open:
            state.asking = None  # no check under way: there is no check question to answer
        return state


_ID = re.compile(r"[a-z][a-z0-9_]{0,40}")


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_ID.fullmatch(value))


def _small_int(value: Any) -> bool:
    return type(value) is int and -1 <= value < 1000


def _known(values: frozenset[str], value: Any) -> str | None:
    return value if isinstance(value, str) and value in values else None


def _topic_place_valid(topic: Any, chunk: Any, cause: Any, content: Content) -> bool:
    if not _small_int(chunk) or chunk < 0:
        return False
    if topic == TOPIC_LIST:
        return cause is None
    if topic == SYMPTOMS:
        return isinstance(cause, str) and cause in content.causes
    if not isinstance(topic, str) or topic not in content.topics:
        return False
    return cause is None or (isinstance(cause, str) and cause in content.topics[topic].by_cause)


def _answers_valid(answers: str, content: Content) -> bool:
    if not re.fullmatch(r"[ynu]{0,24}", answers):
        return False
    if not answers:
        return True
    from .triage import SymptomCheck  # only a session with answers needs the check's rules

    try:
        SymptomCheck(content).step(answers)
    except ValueError:
        return False
    return True
