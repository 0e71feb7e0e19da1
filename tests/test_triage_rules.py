"""The symptom check's rules over every path of answers (yes, no and not sure to each
question): no contradiction, no dropped sign, no gate bypass, a level that only rises, and a
check short enough for a voice."""

from __future__ import annotations

import pytest

from helpers import Device, check_answers, leads_a_step
from thigh_coach.content import LEVELS, get_content
from thigh_coach.contentcheck import check_length_problems
from thigh_coach.triage import SymptomCheck, one_step_below

CONTENT = get_content()
CHECK = SymptomCheck(CONTENT)
NAMES = {"y": "yes", "n": "no", "u": "unsure"}
CODES = {name: code for code, name in NAMES.items()}


def walk(answers: str = "", asked: tuple = ()):
    """Every complete path: (answers, [(question, answer)...], outcome)."""
    step = CHECK.step(answers)
    if step.outcome is not None:
        yield answers, asked, step.outcome
        return
    for code in "ynu":
        yield from walk(answers + code, (*asked, (step.question, NAMES[code])))


PATHS = list(walk())


def serious(levels) -> str:
    return min(levels, key=LEVELS.index, default="self_care")


def test_the_walk_covers_every_kind_of_outcome():
    assert len(PATHS) > 300
    assert {o.level for _, _, o in PATHS} == set(LEVELS)


@pytest.mark.slow
def test_at_most_twelve_questions_and_two_minutes_before_any_outcome():
    """Every locale and voice, every path: the same walk `thigh-coach check` does."""
    assert max(len(answers) for answers, _, _ in PATHS) <= 12
    assert check_length_problems(CONTENT) == []


def test_no_outcome_names_a_cause_its_answers_rule_out():
    for answers, asked, outcome in PATHS:
        ruled_out = {c for q, a in asked for c in getattr(q, "excludes", {}).get(a, ())}
        named = {c.id for c in outcome.causes}
        assert not named & ruled_out, (answers, named & ruled_out)


def test_at_most_two_causes_and_only_from_evidence():
    """A cause is named only when a yes or not sure after the warning signs weighs for it
    (or a sign names it): "no" throughout names none."""
    for answers, asked, outcome in PATHS:
        assert len(outcome.causes) <= 2, answers
        evidence = {c for q, a in asked if a != "no"
                    for c, w in getattr(q, "weights", {}).get(a, {}).items() if w > 0}
        evidence |= {s.cause for s in outcome.signs if s.cause}
        assert {c.id for c in outcome.causes} <= evidence, answers


def test_a_walking_cramp_is_never_dropped():
    cramps = [(a, o) for a, asked, o in PATHS
              if any(q.id == "walking_cramp" and ans == "yes" for q, ans in asked)]
    assert cramps
    for answers, outcome in cramps:
        assert LEVELS.index(outcome.level) <= LEVELS.index("soon"), answers
        assert outcome.causes[0].id == "claudication", answers
        assert not outcome.routine_allowed


def test_the_level_is_the_most_serious_sign_answered():
    """Recomputed from the answers alone: a yes (or not sure) only ever raises the level,
    and nothing else (no ranking of causes) moves it."""
    for answers, asked, outcome in PATHS:
        levels = []
        for question, answer in asked:
            level = getattr(question, "level", None)
            if level is None or answer == "no":
                continue
            unsure = getattr(question, "unsure_level", None) or one_step_below(level)
            levels.append(level if answer == "yes" else unsure)
        assert outcome.level == serious(levels), (answers, outcome.level, levels)


@pytest.mark.slow
def test_one_more_yes_never_lowers_the_level():
    """The same answers with one "no" to a warning sign turned into "yes": the outcome is at
    least as serious, whichever questions the "yes" adds or leaves out."""
    for answers, asked, outcome in PATHS:
        given = {q.id: a for q, a in asked}
        for question, answer in asked:
            if answer != "no" or getattr(question, "level", None) is None:
                continue
            flipped = check_answers(**{**{q: CODES[a] for q, a in given.items()},
                                       question.id: "y"})
            changed = CHECK.step(flipped).outcome
            assert LEVELS.index(changed.level) <= LEVELS.index(outcome.level), \
                (answers, flipped)


def test_a_fresh_strain_never_offers_a_routine():
    fresh = [(a, o) for a, _, o in PATHS if o.fresh_strain]
    assert fresh
    assert all(not o.routine_allowed for _, o in fresh)


@pytest.mark.slow
def test_no_gate_bypass_on_any_fresh_strain_path(new_device):
    """Through lambda_handler: after a fresh-strain outcome, no phrase starts a routine."""
    say = {"y": "yes", "n": "no", "u": "not sure"}
    for answers in sorted({a for a, _, o in PATHS if o.fresh_strain and not o.stops_early}):
        device: Device = new_device()
        device.launch()
        device.say("check my symptoms")
        for code in answers:
            heard = device.say(say[code])
        assert "start the" not in heard.speech, (answers, heard.speech)
        for phrase in ("start the hamstring stretches", "yes", "start my routine", "next"):
            assert not leads_a_step(device.say(phrase)), (answers, phrase)


def test_where_the_budget_cuts_a_question_no_routine_is_offered():
    """The tree asks what matters first: on the paths where twelve questions leave a pattern
    question unasked (a "not sure" adds a follow-up), that question is no emergency, and a
    warning sign or a fresh injury already rules out a routine the check never cleared."""
    unbounded = SymptomCheck(CONTENT._replace(
        triage=CONTENT.triage._replace(max_questions=99)))
    cut = 0
    for answers, _, outcome in PATHS:
        unasked = unbounded.step(answers).question
        if unasked is not None:
            cut += 1
            assert unasked.level != "emergency", (answers, unasked.id)
            assert not outcome.routine_allowed, answers
    assert cut  # the rule is exercised
