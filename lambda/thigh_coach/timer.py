"""Plans an exercise into spoken steps with timed holds.

A hold is timed from the end of "begin" to the start of "release": a chain of pauses (each at
most 10 s, Alexa's limit) with a cue spoken between every two ("twenty seconds left", "ten
seconds left", "five, four, three, two, one"), so no two breaks touch. The cues take time to
say, and that time counts towards the hold. With sounds on (the user's preference), a chime
starts the hold right after "begin" and another ends it before "and release": a person can
hear both from across the room with their head down. The start chime's published length
counts towards the hold; the hold ends as the end chime starts. Speaking time is estimated at WORDS_PER_SECOND
(150 words a minute, about Alexa's default rate); tests hold every plan to that estimate.

A moved exercise (nerve glide, bridge, curl) is paced by count instead: each repetition lasts
`hold_s`, spread evenly over its count words.

An exercise becomes one step per side, or several when a side's audio would run past
MAX_STEP_S or its chimes past Alexa's five clips: one step is one response, so each stays
well inside Alexa's limits. Steps are packed as if the sounds were on, so turning them on or
off never moves a step (a session's place is a step number).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from .content import Exercise
from .speech import MAX_AUDIO_TAGS, MAX_BREAK_S, Speech

WORDS_PER_SECOND = 2.5  # 150 words per minute
MAX_RESPONSE_AUDIO_S = 90.0  # design rule: keep each response under about 90 s of audio
MAX_STEP_S = 80.0  # the step's share: the rest is its exercise's name and "ready to go on?"
COUNTDOWN_FROM = 5
HOLD_RANGE = (10, 60)  # seconds a user may ask for: ACSM 10 to 30 s, 30 to 60 s for older adults
_NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve "
                 "thirteen fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS_WORDS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty"}


def number_words(n: int) -> str:
    if n < 20:
        return _NUMBER_WORDS[n]
    tens, ones = divmod(n, 10)
    return _TENS_WORDS[tens * 10] + (f" {_NUMBER_WORDS[ones]}" if ones else "")


def speaking_time(text: str) -> float:
    return len(text.split()) / WORDS_PER_SECOND


class Say(NamedTuple):
    text: str


class Sound(NamedTuple):
    """A clip from the Alexa Skills Kit sound library, and its published length."""

    src: str
    seconds: float


# The Alexa Skills Kit Sound Library's own table (developer.amazon.com/docs/custom-skills/
# ask-soundlibrary.html, "Duration" column; transcribed with every clip's length in
# github.com/tonyhallett/alexa-ts-ssml-builder, src/soundbank.ts), read 2026-12-03.
HOLD_START = Sound("soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01", 0.71)
HOLD_END = Sound("soundbank://soundlibrary/musical/amzn_sfx_bell_med_chime_02", 0.89)
MAX_HOLDS_PER_STEP = MAX_AUDIO_TAGS // 2  # two chimes a hold


class Pause(NamedTuple):
    seconds: float


class Begin(NamedTuple):
    """The moment a hold starts: right after "begin" has been said."""

    hold_s: int


class Release(NamedTuple):
    """The moment the hold ends: "and release" starts here."""


Event = Say | Pause | Sound | Begin | Release


class Cues(NamedTuple):
    """The words the timer speaks, from the locale's texts."""

    begin: str  # "Begin."
    release: str  # "And release."
    seconds_left: Callable[[int], str]  # 20 -> "Twenty seconds left."
    rest: str  # "Rest."
    keep_resting: str  # said between the breaks of a rest over 10 s
    rep: Callable[[int, int], str]  # (2, 3) -> "Number two of three."
    again: str  # the action for repetitions after the first: "Again."
    side: Callable[[str], str]  # "left" -> "Left side."
    chimes: bool = False  # a chime starts and ends each hold (the user's preference)


class Step(NamedTuple):
    """One response's worth of an exercise: some repetitions on one side."""

    exercise: str
    side: str | None  # "left", "right", or None when both legs work together
    first_rep: int  # 1-based
    last_rep: int  # below first_rep: a step that only gets the user into position
    events: tuple[Event, ...]

    def seconds(self) -> float:
        return sum(duration(e) for e in self.events)

    def speech(self) -> Speech:
        return speech_of(self.events)

    def hold_offset_s(self) -> float:
        """Seconds from the start of this step's speech to its first hold's "begin"."""
        total = 0.0
        for event in self.events:
            if isinstance(event, Begin):
                return total
            total += duration(event)
        return 0.0

    def holds(self) -> list[tuple[float, int]]:
        """Every hold of this step, in order: (seconds into the speech of its "begin",
        its length in seconds)."""
        found: list[tuple[float, int]] = []
        total = 0.0
        for event in self.events:
            if isinstance(event, Begin):
                found.append((total, event.hold_s))
            total += duration(event)
        return found


def duration(event: Event) -> float:
    """How long an event takes to hear: a pause or a clip its length, words at
    WORDS_PER_SECOND."""
    if isinstance(event, Pause | Sound):
        return event.seconds
    return speaking_time(event.text) if isinstance(event, Say) else 0.0


def speech_of(events: Sequence[Event]) -> Speech:
    """The events as speech (Begin and Release mark moments; they say nothing)."""
    speech = Speech()
    for event in events:
        if isinstance(event, Say):
            speech.say(event.text)
        elif isinstance(event, Pause):
            speech.pause(event.seconds)
        elif isinstance(event, Sound):
            speech.audio(event.src)
    return speech


def hold_events(hold_s: int, cues: Cues) -> list[Event]:
    """From "begin" to "release": pauses of at most 10 s, each followed by a cue."""
    marks = [(r, cues.seconds_left(r)) for r in range(10 * ((hold_s - 1) // 10), 9, -10)
             if COUNTDOWN_FROM < r < hold_s]
    marks += [(n, number_words(n).capitalize() + ",") for n in range(COUNTDOWN_FROM, 0, -1)
              if n < hold_s]
    events: list[Event] = [Begin(hold_s)]
    remaining = float(hold_s)
    if cues.chimes:
        events.append(HOLD_START)
        remaining -= HOLD_START.seconds
    for at, text in marks:
        gap = remaining - at
        if gap > 0:
            events.append(Pause(round(gap, 2)))
        events.append(Say(text))
        remaining = at - speaking_time(text)
    if remaining > 0:
        events.append(Pause(round(remaining, 2)))
    events.append(Release())
    if cues.chimes:
        events.append(HOLD_END)
    events.append(Say(cues.release))
    return events


def rep_events(exercise: Exercise, cycle_s: int, number: int) -> list[Event]:
    """One moved repetition, its number said with the first count word, spread evenly over
    `cycle_s` seconds."""
    beat = cycle_s / len(exercise.counts)
    events: list[Event] = []
    for i, word in enumerate(exercise.counts):
        text = f"{number_words(number).capitalize()}: {word}." if i == 0 else f"{word}."
        events.append(Say(text))
        rest = beat - speaking_time(text)
        if rest > 0:
            events.append(Pause(round(rest, 2)))
    return events


def rest_events(seconds: int, cues: Cues) -> list[Event]:
    events: list[Event] = [Say(cues.rest)]
    remaining = float(seconds) - speaking_time(cues.rest)
    while remaining > MAX_BREAK_S:
        events.append(Pause(MAX_BREAK_S))
        events.append(Say(cues.keep_resting))
        remaining -= MAX_BREAK_S + speaking_time(cues.keep_resting)
    if remaining > 0:
        events.append(Pause(round(remaining, 2)))
    return events


def plan(exercise: Exercise, *, hold_s: int, sides: Sequence[str | None], cues: Cues,
         setup: Callable[[str | None], list[str]], action: Callable[[str | None], str],
         safety: str) -> list[Step]:
    """Every step of one exercise, in order. `setup`, `action`: worded for this user."""
    steps: list[Step] = []
    for side_index, side in enumerate(sides):
        intro: list[Event] = []
        if side is not None:
            intro.append(Say(cues.side(side)))
        intro += [Say(line) for line in setup(side)]
        if side_index == 0:
            intro.append(Say(safety))  # before the first hold of every exercise
        reps: list[list[Event]] = []
        for rep in range(1, exercise.reps + 1):
            events: list[Event] = []
            if exercise.kind == "hold":
                if exercise.reps > 1:
                    events.append(Say(cues.rep(rep, exercise.reps)))
                events.append(Say(action(side) if rep == 1 else cues.again))
                events.append(Say(cues.begin))
                events += hold_events(hold_s, cues)
            else:
                if rep == 1:
                    events.append(Say(action(side)))
                    events.append(Say(cues.begin))
                events += rep_events(exercise, exercise.hold_s, rep)
            reps.append(events)
        steps += _pack(exercise, side, intro, reps, cues, setup_alone=side_index == 0)
    return steps


def _pack(exercise: Exercise, side: str | None, intro: list[Event],
          reps: list[list[Event]], cues: Cues, *, setup_alone: bool) -> list[Step]:
    """A side's repetitions as the fewest even groups whose steps each fit MAX_STEP_S.

    Rests come only between repetitions of one step. An exercise's first side gets its setup
    as a step of its own (`setup_alone`): the user gets into position before a hold is timed,
    and hears few words between "ready" and "begin". So does a hold too long to follow its
    setup in one response.
    """
    rest = rest_events(exercise.rest_s, cues) if exercise.kind == "hold" and exercise.rest_s \
        else []

    def step(first: int, last: int, lead: list[Event]) -> Step:
        events = list(lead)
        for number in range(first, last + 1):
            if number > first:
                events += rest
            events += reps[number - 1]
        return Step(exercise.id, side, first, last, tuple(events))

    def fits(s: Step) -> bool:
        # as if the sounds were on, whatever they are: a step never moves when they change
        chimes_off = 0.0 if cues.chimes else HOLD_END.seconds * len(s.holds())
        return s.seconds() + chimes_off <= MAX_STEP_S and len(s.holds()) <= MAX_HOLDS_PER_STEP

    setup: list[Step] = []
    if setup_alone or not fits(step(1, 1, intro)):
        setup, intro = [Step(exercise.id, side, 1, 0, tuple(intro))], []
    total = len(reps)
    for groups in range(1, total + 1):
        size, extra = divmod(total, groups)
        steps, first = [], 1
        for g in range(groups):
            last = first + size - 1 + (1 if g < extra else 0)
            steps.append(step(first, last, intro if g == 0 else []))
            first = last + 1
        if all(fits(s) for s in steps):
            return setup + steps
    return setup + [step(n, n, intro if n == 1 else []) for n in range(1, total + 1)]


def clamp_hold(seconds: int) -> int:
    low, high = HOLD_RANGE
    return max(low, min(high, seconds))
