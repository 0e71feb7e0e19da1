"""A hold change at any point of an exercise skips no hold and no side: the coach goes on
from the first repetition not yet done, with the new holds (a step number would move, as
a new hold length packs repetitions into steps differently)."""

from __future__ import annotations

import re

import pytest

from helpers import Device, past_screen
from thigh_coach.content import get_content

CONTENT = get_content()
FIRST = CONTENT.exercises[CONTENT.routines["hamstring"].exercises[0]]  # 2 holds a side
SECOND = CONTENT.exercises[CONTENT.routines["hamstring"].exercises[1]]


def holds_by_side(speech: str) -> dict[str, int]:
    """How many holds began on each side, in the order heard."""
    counts = {"left": 0, "right": 0}
    side = None
    for token in re.findall(r"(Left side\.|Right side\.|Begin\.)", speech):
        if token == "Begin.":
            assert side is not None, speech
            counts[side] += 1
        else:
            side = token.split()[0].lower()
    return counts


def exercise_with_a_change(app, nexts: int, seconds: str) -> str:
    """The first exercise heard through, with a hold change after `nexts` steps."""
    device = Device(app.lambda_handler)
    device.launch()
    heard = [past_screen(device, device.say("start the hamstring stretches")).speech]
    for _ in range(nexts):
        heard.append(device.intent("AMAZON.NextIntent").speech)
    heard.append(device.intent("HoldSecondsIntent", seconds=seconds).speech)
    return to_the_second_exercise(device, heard)


def to_the_second_exercise(device: Device, heard: list[str]) -> str:
    """"next" until the second exercise is named: all heard of the first, from `heard` on."""
    second = SECOND.name[0].upper() + SECOND.name[1:] + "."
    for _ in range(12):
        if second in heard[-1]:
            break
        heard.append(device.intent("AMAZON.NextIntent").speech)
    whole = " ".join(heard)
    return whole[:whole.index(second)] if second in whole else whole


def steps_of_the_first_exercise(app) -> int:
    device = Device(app.lambda_handler)
    device.launch()
    past_screen(device, device.say("start the hamstring stretches"))
    second = SECOND.name[0].upper() + SECOND.name[1:] + "."
    for n in range(1, 12):
        if second in device.intent("AMAZON.NextIntent").speech:
            return n
    raise AssertionError("the first exercise never ended")


@pytest.mark.parametrize("seconds", ["10", "60"])
def test_no_hold_or_side_is_skipped_whenever_the_hold_changes(app, seconds):
    positions = steps_of_the_first_exercise(app)
    assert positions >= 2
    for nexts in range(positions):
        counts = holds_by_side(exercise_with_a_change(app, nexts, seconds))
        assert counts["left"] >= FIRST.reps and counts["right"] >= FIRST.reps, (nexts, counts)



def stopped_and_resumed(app, nexts: int, seconds: str) -> tuple[str, str]:
    """Stop after `nexts` steps of the first exercise, change the holds in a new session,
    and resume. Returns the holds done before the stop (every step heard but the one under
    way, which resuming gives again) and the first exercise as heard after resuming."""
    device = Device(app.lambda_handler)
    device.launch()
    steps = [past_screen(device, device.say("start the hamstring stretches")).speech]
    for _ in range(nexts):
        steps.append(device.intent("AMAZON.NextIntent").speech)
    device.intent("AMAZON.StopIntent")  # the place is saved
    device.launch()
    device.intent("HoldSecondsIntent", seconds=seconds)
    after = to_the_second_exercise(
        device, [past_screen(device, device.intent("StartMyRoutineIntent")).speech])
    return " ".join(steps[:-1]), after


@pytest.mark.parametrize("seconds", ["10", "60"])
def test_a_saved_place_resumed_with_other_holds_skips_no_hold_or_side(app, seconds):
    """The place is stored as the side and the repetitions done, not a step number: what
    was done before the stop and what follows the resume hold every hold of both sides."""
    for nexts in range(steps_of_the_first_exercise(app)):
        before, after = stopped_and_resumed(app, nexts, seconds)
        done, rest = holds_by_side(before), holds_by_side(after)
        for side in ("left", "right"):
            assert done[side] + rest[side] >= FIRST.reps, (nexts, side, done, rest)
