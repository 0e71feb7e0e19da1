"""The symptom check: which question comes next, and what the answers add up to.

The answers so far are a string, one character per question asked ("y", "n", "u" for not
sure), because which question comes next depends only on the answers before it. That keeps
the session small and makes "go back" dropping the last character.

Rules (content/triage.yaml holds the questions and weights; the rules are these):
- red flags first, most serious first; a "yes" to an emergency or urgent flag ends the check;
- "not sure" is never "no": it raises the level to one step below the flag's (never below
  "soon"), and the check goes on so a later "yes" can still raise it further;
- after the red flags, an emergency or urgent level ends the check; otherwise up to
  `max_patterns` pattern questions weigh the causes, and the heaviest (at least `min_weight`,
  at most three) are named, most likely first;
- a named cause can raise the level (a DVT is urgent, claudication needs a doctor soon).
"""

from __future__ import annotations

from typing import NamedTuple

from .content import LEVELS, Cause, Content, PatternQuestion, RedFlag

ANSWER_CODES = {"yes": "y", "no": "n", "unsure": "u"}
_CODE_NAMES = {v: k for k, v in ANSWER_CODES.items()}
MAX_CAUSES = 3


def more_serious(a: str, b: str) -> str:
    return a if LEVELS.index(a) <= LEVELS.index(b) else b


def one_step_below(level: str) -> str:
    """What "not sure" about a flag of this level counts as: never lower than "soon"."""
    return LEVELS[min(LEVELS.index(level) + 1, LEVELS.index("soon"))]


class Outcome(NamedTuple):
    level: str
    flag: RedFlag | None = None  # the flag answered "yes" that set the level
    unsure: RedFlag | None = None  # the flag whose "not sure" set the level
    causes: tuple[Cause, ...] = ()
    soon_flags: tuple[RedFlag, ...] = ()  # "soon" flags answered yes

    @property
    def stops_early(self) -> bool:
        return self.level in ("emergency", "urgent")

    @property
    def routine_allowed(self) -> bool:
        """No routine after any red flag, "not sure" included, or for a cause to get checked."""
        return self.level == "self_care" and self.flag is None and not self.soon_flags


Question = RedFlag | PatternQuestion


class Step(NamedTuple):
    """Either the next question to ask, or the outcome."""

    question: Question | None = None
    outcome: Outcome | None = None
    number: int = 0  # 1-based number of the question
    is_red_flag: bool = False


class SymptomCheck:
    def __init__(self, content: Content) -> None:
        self.content = content
        self.triage = content.triage

    def step(self, answers: str) -> Step:
        """The next question after `answers`, or the outcome once there is one."""
        if any(a not in _CODE_NAMES for a in answers):
            raise ValueError("answers are y, n or u")
        level, unsure, soon = "self_care", None, []
        i = 0
        for red in self.triage.red_flags:
            if i == len(answers):
                return Step(question=red, number=i + 1, is_red_flag=True)
            answer = answers[i]
            i += 1
            if answer == "y":
                if red.level in ("emergency", "urgent"):
                    return Step(outcome=Outcome(red.level, flag=red))
                soon.append(red)
                level = more_serious(level, red.level)
            elif answer == "u":
                raised = one_step_below(red.level)
                if more_serious(raised, level) != level:
                    level, unsure = raised, red
        if level in ("emergency", "urgent"):
            return Step(outcome=Outcome(level, unsure=unsure))
        given: dict[str, str] = {}
        asked = 0
        for pattern in self.triage.patterns:
            if asked == self.triage.max_patterns:
                break
            if any(given.get(q) != a for q, a in pattern.ask_if.items()):
                continue
            if i == len(answers):
                return Step(question=pattern, number=i + 1)
            given[pattern.id] = _CODE_NAMES[answers[i]]
            i += 1
            asked += 1
        if i < len(answers):
            raise ValueError("more answers than questions")
        causes = self.likely_causes(given)
        for cause in causes:
            level = more_serious(level, cause.level)
        return Step(outcome=Outcome(level, unsure=unsure, causes=causes, soon_flags=tuple(soon)))

    def likely_causes(self, given: dict[str, str]) -> tuple[Cause, ...]:
        weights: dict[str, int] = {}
        for pattern in self.triage.patterns:
            answer = given.get(pattern.id)
            if answer is None:
                continue
            for cause, weight in pattern.weights.get(answer, {}).items():
                weights[cause] = weights.get(cause, 0) + weight
        order = list(self.content.causes)
        named = sorted((c for c, w in weights.items() if w >= self.triage.min_weight),
                       key=lambda c: (-weights[c], order.index(c)))
        return tuple(self.content.causes[c] for c in named[:MAX_CAUSES])
