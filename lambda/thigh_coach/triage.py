"""The symptom check: which question comes next, and what the answers add up to.

The answers so far are a string, one character per question asked ("y", "n", "u" for not
sure), because which question comes next depends only on the answers before it. That keeps
the session small and makes "go back" dropping the last character.

Rules (content/triage.yaml holds the questions, the tree and the weights; the rules are these):
- warning signs first, most serious first; a sign with an `ask_if` is a follow-up, asked
  only when the answers it names hold ("is that leg cold or pale?" after "yes" to "is one
  leg a different colour?"); a "yes" to an emergency sign ends the check with its advice;
  after a "yes" to an urgent one, only the questions that could still lead to an emergency
  are asked, so one more "yes" never lowers the outcome, and the most serious answer wins;
- "not sure" is never "no": it counts one step below the sign's level (never below "soon"),
  or the sign's own `unsure_level`, and the check goes on so a later "yes" can raise it;
- after the warning signs, an emergency or urgent level ends the check; otherwise pattern
  questions, asked as a tree, weigh the causes, while the check is under `max_questions`
  (the tree puts the questions that matter most first); a "yes" to a pattern question of
  emergency or urgent level (a bad tear) ends it too;
- the level is the most serious of the signs answered yes (or not sure): a named cause never
  lowers it and no ranking can drop a sign (claudication, a bad tear), so one more "yes"
  never lowers the outcome;
- an answer that rules a cause out removes it; a sign's cause is named first; at most two
  causes are named, and only from evidence: a cause no "yes" or "not sure" weighs for is
  never named, so answers of "no" throughout name none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from .content import LEVELS, Cause, Content, PatternQuestion, RedFlag

ANSWER_CODES = {"yes": "y", "no": "n", "unsure": "u"}
_CODE_NAMES = {v: k for k, v in ANSWER_CODES.items()}
MAX_CAUSES = 2


def more_serious(a: str, b: str) -> str:
    return a if LEVELS.index(a) <= LEVELS.index(b) else b


def one_step_below(level: str) -> str:
    """What "not sure" about a sign of this level counts as: never lower than "soon"."""
    return LEVELS[min(LEVELS.index(level) + 1, LEVELS.index("soon"))]


class Outcome(NamedTuple):
    level: str
    flag: RedFlag | None = None  # the flag answered "yes" that set the level
    unsure: RedFlag | None = None  # the flag whose "not sure" set the level
    causes: tuple[Cause, ...] = ()
    soon_flags: tuple[RedFlag, ...] = ()  # "soon" flags answered yes
    signs: tuple[PatternQuestion, ...] = ()  # pattern signs answered yes (or not sure)
    fresh_strain: bool = False  # the answers suggest a fresh strain: rest before stretching

    @property
    def stops_early(self) -> bool:
        return self.level in ("emergency", "urgent")

    @property
    def advice(self) -> RedFlag | PatternQuestion | None:
        """Whose advice explains the level: a flag, else the most serious sign."""
        if self.flag is not None:
            return self.flag
        for sign in self.signs:
            if sign.level == self.level:
                return sign
        return None

    @property
    def routine_allowed(self) -> bool:
        """No routine after any warning sign ("not sure" included), for a cause to get
        checked, or for a fresh strain."""
        return (self.level == "self_care" and self.flag is None and not self.soon_flags
                and not self.fresh_strain)


Question = RedFlag | PatternQuestion


class Step(NamedTuple):
    """Either the next question to ask, or the outcome."""

    question: Question | None = None
    outcome: Outcome | None = None
    number: int = 0  # 1-based number of the question
    is_red_flag: bool = False  # asked among the warning signs, before the pattern questions

    @property
    def asks_a_sign(self) -> bool:
        """The question is a warning sign itself, not one that only opens follow-ups ("did
        it start with a fall?")."""
        return self.is_red_flag and self.question is not None and self.question.level is not None


def _holds(condition: Mapping[str, str], given: Mapping[str, str]) -> bool:
    """An `ask_if` condition: each named question had that answer ("no" matches "unsure":
    an unsure answer follows the cautious branch, which asks more)."""
    for question, wanted in condition.items():
        answer = given.get(question)
        if not (answer == wanted or (wanted == "no" and answer == "unsure")):
            return False
    return True


class SymptomCheck:
    def __init__(self, content: Content) -> None:
        self.content = content
        self.triage = content.triage
        self.asked_flags = tuple(f for f in self.triage.red_flags if f.question is not None)
        # the emergency signs, and the questions whose answer opens one as a follow-up
        self.toward_emergency = {f.id for f in self.asked_flags if f.level == "emergency"}
        for flag in reversed(self.asked_flags):
            if flag.id in self.toward_emergency:
                self.toward_emergency.update(q for c in flag.ask_if for q in c)

    def step(self, answers: str) -> Step:  # noqa: C901 - over the limit when the rule came in (2026-12-03)
        """The next question after `answers`, or the outcome once there is one."""
        if any(a not in _CODE_NAMES for a in answers):
            raise ValueError("answers are y, n or u")
        level, unsure, soon = "self_care", None, []
        given: dict[str, str] = {}
        found: RedFlag | None = None  # the most serious emergency or urgent sign answered yes
        found_level = "self_care"  # its level
        i = 0
        for red in self.asked_flags:
            if red.ask_if and not any(_holds(c, given) for c in red.ask_if):
                continue
            if found is not None and (found_level == "emergency"
                                      or red.id not in self.toward_emergency):
                continue  # after an urgent "yes", only what could still be an emergency
            if i == len(answers):
                return Step(question=red, number=i + 1, is_red_flag=True)
            answer = answers[i]
            given[red.id] = _CODE_NAMES[answer]
            i += 1
            if red.level is None:  # it only opens its follow-ups
                continue
            if answer == "y":
                if red.level in ("emergency", "urgent"):
                    if found is None or more_serious(red.level, found_level) != found_level:
                        found, found_level = red, red.level
                else:
                    soon.append(red)
                    level = more_serious(level, red.level)
            elif answer == "u":
                raised = red.unsure_level or one_step_below(red.level)
                if more_serious(raised, level) != level:
                    level, unsure = raised, red
        if found is not None:
            if more_serious(level, found_level) != found_level:
                # an earlier "not sure" counts for more ("not sure" about saddle numbness is
                # go now): its advice, at its level
                return Step(outcome=Outcome(level, unsure=unsure))
            return Step(outcome=Outcome(found_level, flag=found))
        if level in ("emergency", "urgent"):
            return Step(outcome=Outcome(level, unsure=unsure))
        signs: list[PatternQuestion] = []
        fresh = False
        for pattern in self.triage.patterns:
            if i == self.triage.max_questions:
                break
            if pattern.ask_if and not any(_holds(c, given) for c in pattern.ask_if):
                continue
            if i == len(answers):
                return Step(question=pattern, number=i + 1)
            answer = _CODE_NAMES[answers[i]]
            given[pattern.id] = answer
            i += 1
            if answer in ("yes", "unsure") and pattern.fresh_strain:
                fresh = True
            if pattern.level is not None and answer != "no":
                raised = pattern.level if answer == "yes" else one_step_below(pattern.level)
                level = more_serious(level, raised)
                if answer == "yes":
                    signs.append(pattern)
                if raised in ("emergency", "urgent"):
                    break  # its advice now, as for a warning sign
        if i < len(answers):
            raise ValueError("more answers than questions")
        causes = self.likely_causes(given, signs)
        return Step(outcome=Outcome(level, unsure=unsure, causes=causes, soon_flags=tuple(soon),
                                    signs=tuple(signs), fresh_strain=fresh))

    def likely_causes(self, given: Mapping[str, str],
                      signs: list[PatternQuestion] | tuple[PatternQuestion, ...] = ()
                      ) -> tuple[Cause, ...]:
        weights: dict[str, int] = {}
        ruled_out: set[str] = set()
        evidence: set[str] = set()  # causes a "yes" or "not sure" weighs for
        questions: tuple[RedFlag | PatternQuestion, ...] = (*self.triage.red_flags,
                                                            *self.triage.patterns)
        for pattern in questions:
            answer = given.get(pattern.id)
            if answer is None:
                continue
            for cause, weight in pattern.weights.get(answer, {}).items():
                weights[cause] = weights.get(cause, 0) + weight
                if answer != "no" and weight > 0:
                    evidence.add(cause)
            ruled_out.update(pattern.excludes.get(answer, ()))
        order = list(self.content.causes)
        first = [s.cause for s in signs if s.cause is not None and s.cause not in ruled_out]
        ranked = sorted((c for c, w in weights.items() if w >= self.triage.min_weight
                         and c in evidence and c not in ruled_out and c not in first),
                        key=lambda c: (-weights[c], order.index(c)))
        named = list(dict.fromkeys(first + ranked))[:MAX_CAUSES]
        if not named:  # some evidence, under min_weight: the cause it leans to, if any
            leaning = sorted((c for c, w in weights.items()
                              if w > 0 and c in evidence and c not in ruled_out),
                             key=lambda c: (-weights[c], order.index(c)))
            named = leaning[:1]
        return tuple(self.content.causes[c] for c in named)
