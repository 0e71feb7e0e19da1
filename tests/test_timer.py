"""Every exercise of every routine, planned: breaks, limits, and holds that keep their word."""

from __future__ import annotations

import itertools
import re

import pytest

from thigh_coach.content import get_content
from thigh_coach.dialog import Dialog
from thigh_coach.profile import Profile
from thigh_coach.speech import MAX_SSML_CHARS, breaks_of
from thigh_coach.state import Conversation
from thigh_coach.timer import (
    MAX_STEP_S,
    Begin,
    Pause,
    Release,
    Say,
    Sound,
    speaking_time,
)

CONTENT = get_content()
HOLDS = [None, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]


def coach(profile: Profile | None = None, **state):
    return Dialog(CONTENT, "en-US", Conversation(**state), profile or Profile()).coach


def plans():
    """Every distinct plan: many settings give the same one (a stored hold does not change
    a moved exercise, for example), and each plan is checked once. Sounds on (the default)
    and off: a chime starts and ends each hold."""
    seen = set()
    for routine in CONTENT.routines.values():
        for hold, sounds in itertools.product(HOLDS, (None, False)):
            for side, only in ((None, None), ("right", None), ("left", "left")):
                planner = coach(Profile(hold_s=hold, side=side, sounds=sounds), only_side=only)
                for index, exercise_id in enumerate(routine.exercises):
                    steps = planner.steps(routine, index)
                    if steps not in seen:
                        seen.add(steps)
                        yield (routine, hold, exercise_id, steps)


ALL = list(plans())


def test_speaking_time_is_150_words_a_minute():
    assert speaking_time("ten seconds left") == pytest.approx(1.2)
    assert speaking_time(" ".join(["word"] * 150)) == pytest.approx(60)


@pytest.mark.parametrize("routine, hold, exercise_id, steps", ALL,
                         ids=lambda v: getattr(v, "id", None) if not isinstance(v, list) else "")
def test_every_step_is_within_limits(routine, hold, exercise_id, steps):
    for step in steps:
        ssml = step.speech().ssml()
        assert len(ssml) < MAX_SSML_CHARS
        assert all(0 < b <= 10 for b in breaks_of(ssml))
        assert not re.search(r"<break[^>]*/>\s*<break", ssml), "two breaks in a row"
        assert step.seconds() <= MAX_STEP_S


@pytest.mark.parametrize("routine, hold, exercise_id, steps", ALL,
                         ids=lambda v: getattr(v, "id", None) if not isinstance(v, list) else "")
def test_every_hold_lasts_what_it_claims_within_a_few_tenths(routine, hold, exercise_id, steps):
    exercise = CONTENT.exercises[exercise_id]
    claims = 0
    for step in steps:
        timing, claimed = None, None
        for event in step.events:
            if isinstance(event, Begin):
                timing, claimed = 0.0, event.hold_s
            elif isinstance(event, Release):
                assert abs(timing - claimed) <= 0.4, (exercise_id, timing, claimed)
                timing = None
                claims += 1
            elif timing is not None:
                # words, pauses and the start chime's clip, at its published length
                timing += event.seconds if isinstance(event, Pause | Sound) \
                    else speaking_time(event.text)
    if exercise.kind == "hold":
        expected = max(hold or routine.hold_s or exercise.hold_s, routine.min_hold_s or 0)
        sides = 1 if exercise.sides == "both" else len({s.side for s in steps})
        assert claims == exercise.reps * sides
        for step in steps:
            assert all(e.hold_s == expected for e in step.events if isinstance(e, Begin))


@pytest.mark.parametrize("exercise", [e for e in CONTENT.exercises.values() if e.kind == "moved"],
                         ids=lambda e: e.id)
def test_every_moved_repetition_takes_its_tempo(exercise):
    routine = next(r for r in CONTENT.routines.values() if exercise.id in r.exercises)
    steps = coach().steps(routine, routine.exercises.index(exercise.id))
    events = [e for step in steps for e in step.events]
    starts = [i for i, e in enumerate(events)
              if isinstance(e, Say) and re.match(r"^[A-Z][a-z]+( [a-z]+)?: ", e.text)]
    assert len(starts) == exercise.reps * (1 if exercise.sides == "both" else 2)
    for begin, end in zip(starts, starts[1:], strict=False):
        chunk = [e for e in events[begin:end] if isinstance(e, Say | Pause)]
        if any(isinstance(e, Say) and e.text.endswith(" side.") for e in chunk):
            continue  # the next side starts here
        seconds = sum(e.seconds if isinstance(e, Pause) else speaking_time(e.text) for e in chunk)
        assert abs(seconds - exercise.hold_s) <= 1.0, (exercise.id, seconds)


def test_a_safety_line_comes_before_the_first_hold_of_every_exercise():
    for routine, _hold, exercise_id, steps in ALL:
        exercise = CONTENT.exercises[exercise_id]
        texts = [e.text for e in steps[0].events if isinstance(e, Say)]
        assert exercise.safety.self_ in texts
        first_begin = next(i for i, e in enumerate(e for s in steps for e in s.events)
                           if isinstance(e, Begin) or (isinstance(e, Say) and e.text == "Begin."))
        safety_at = [e.text if isinstance(e, Say) else None
                     for s in steps for e in s.events].index(exercise.safety.self_)
        assert safety_at < first_begin, (routine.id, exercise_id)


def test_cues_say_how_long_is_left_and_count_down_to_release():
    step = coach().steps(CONTENT.routines["hamstring"], 0)[1]  # [0]: the setup
    text = " ".join(e.text for e in step.events if isinstance(e, Say))
    assert "Begin. Twenty seconds left. Ten seconds left. Five, Four, Three, Two, One, And release." \
        in text


def test_one_side_then_the_other_and_the_sore_side_first():
    routine = CONTENT.routines["piriformis"]
    default = coach().steps(routine, 0)
    assert [s.side for s in default] == sorted([s.side for s in default],
                                               key=["left", "right"].index)
    sore_right = coach(Profile(side="right")).steps(routine, 0)
    assert sore_right[0].side == "right" and sore_right[-1].side == "left"
    only_left = coach(only_side="left").steps(routine, 0)
    assert {s.side for s in only_left} == {"left"}


@pytest.mark.parametrize("routine", CONTENT.routines.values(), ids=lambda r: r.id)
def test_every_exercise_is_reached_by_next(routine):
    dialog = Dialog(CONTENT, "en-US", Conversation(screened=True), Profile())
    dialog.start_routine(routine.id)
    seen = [dialog.state.place.exercise]
    for _ in range(200):
        dialog.next()
        if dialog.state.place is None:
            break
        seen.append(dialog.state.place.exercise)
    assert sorted(set(seen)) == list(range(len(routine.exercises)))
    assert dialog.state.place is None  # the routine finished


def test_the_curl_lowers_over_about_four_seconds():
    """Up on a count of two, down on four: the lowering is timed, not just counted."""
    routine = CONTENT.routines["strengthening"]
    steps = coach().steps(routine, routine.exercises.index("hamstring_curl"))
    events = [e for step in steps for e in step.events if isinstance(e, Say | Pause)]
    down = next(i for i, e in enumerate(events) if isinstance(e, Say) and e.text == "down.")
    four = next(i for i in range(down, len(events))
                if isinstance(events[i], Say) and events[i].text == "four.")
    end = four + 2 if isinstance(events[four + 1], Pause) else four + 1  # "four" has its beat
    lowering = sum(e.seconds if isinstance(e, Pause) else speaking_time(e.text)
                   for e in events[down:end])
    assert 3.5 <= lowering <= 4.5, lowering
