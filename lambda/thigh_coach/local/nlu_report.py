"""Recall on held-out phrasings: `make nlu` (python -m thigh_coach.local.nlu_report).

tests/nlu/holdout*.tsv hold phrasings written blind, apart from the model and never copied
into it: label, expected id (or -), phrase, locales (`all` or a comma list). A label names
what the user wants, not an intent of today's model, so the rounds outlive a redesign:
`RedFlagIntent` with a red flag id is any warning-sign intent of that flag, `AnswerIntent`
with yes, no or unsure is AMAZON.YesIntent, AMAZON.NoIntent or UnsureIntent, `TopicIntent`
with a topic id is TopicIntent with that slot or the topic's own intent, and so on
(`meaning`). `NearMiss` lines sound close to danger and are not: they pass unless the skill
would answer with emergency or same-day advice (a false alarm, `alarm`).

Each round is measured under both stages of the local NLU: `exact` (the grammar alone) and
`statistical` (the grammar, then the statistical stage, as `thigh-coach chat` hears).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .nlu import Match

REPO = Path(__file__).resolve().parents[3]
NLU_DIR = REPO / "tests" / "nlu"
HOLDOUT = NLU_DIR / "holdout.tsv"
HOLDOUT_ROUND2 = NLU_DIR / "holdout_round2.tsv"
HOLDOUT_ROUND3 = NLU_DIR / "holdout_round3.tsv"
HOLDOUT_ROUND4 = NLU_DIR / "holdout_round4.tsv"
HOLDOUT_ROUND5 = NLU_DIR / "holdout_round5.tsv"
HOLDOUT_ROUND6 = NLU_DIR / "holdout_round6.tsv"
HOLDOUT_ROUND7 = NLU_DIR / "holdout_round7.tsv"
# the rounds folded into the model: the tests hold their floors on these
FOLDED_ROUNDS = (HOLDOUT, HOLDOUT_ROUND2, HOLDOUT_ROUND3, HOLDOUT_ROUND4, HOLDOUT_ROUND5,
                 HOLDOUT_ROUND6)
# every round `make nlu` reports; the newest is not folded in yet (its first contact stands)
ALL_ROUNDS = (*FOLDED_ROUNDS, HOLDOUT_ROUND7)
MODELS = REPO / "interaction_model"
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
RED_FLAG = "RedFlagIntent"  # the label of a warning sign, with its flag id
FALL = "FallIntent"
NEAR_MISS = "NearMiss"
WARNING_LABELS = frozenset({RED_FLAG, FALL})
# besides warning signs of emergency or same-day level, what counts as an alarm
ALARMS = frozenset({FALL, "CallForHelpIntent"})
STAGES = ("exact", "statistical")

_ANSWERS = {"AMAZON.YesIntent": "yes", "AMAZON.NoIntent": "no", "UnsureIntent": "unsure"}
_DESCRIBED_AS = {"Topic": "TopicIntent", "Cause": "CauseInfoIntent", "Routine": "StartRoutineIntent",
                 "Side": "SideIntent"}


class Hears(Protocol):
    def match(self, line: str) -> Match: ...


@dataclass(frozen=True)
class Line:
    intent: str
    slot: str | None
    phrase: str
    locales: tuple[str, ...]


@dataclass
class Result:
    line: Line
    got: Match
    ok: bool


def read_holdout(path: Path = HOLDOUT) -> list[Line]:
    lines = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.split("\t")
        if len(cells) != 4:
            raise ValueError(f"{path.name}:{number}: expected 4 tab-separated columns")
        intent, slot, phrase, where = (c.strip() for c in cells)
        places = LOCALES if where == "all" else tuple(w.strip() for w in where.split(","))
        unknown = set(places) - set(LOCALES)
        if unknown:
            raise ValueError(f"{path.name}:{number}: unknown locale {sorted(unknown)}")
        lines.append(Line(intent, None if slot == "-" else slot, phrase, places))
    return lines


def meaning(intent: str, slot: str | None = None) -> tuple[str, str | None]:
    """An intent of the model (or a label) as what the user wants: (label, id)."""
    from ..alexa.handlers import WARNING_SIGNS, described

    if intent in _ANSWERS:
        return "AnswerIntent", _ANSWERS[intent]
    if intent in WARNING_SIGNS:
        return RED_FLAG, WARNING_SIGNS[intent]
    if intent == "WarningFallIntent":
        return FALL, None
    kind_and_id = described(intent)
    if kind_and_id is not None:
        return _DESCRIBED_AS[kind_and_id[0]], kind_and_id[1]
    return intent, slot


def alarm(intent: str) -> bool:
    """Would the skill answer this intent with emergency or same-day advice? A warning sign of
    those levels, a call for help, or a fall (asked about first, counted here to be safe)."""
    from ..content import get_content

    label, flag = meaning(intent)
    if label == RED_FLAG:
        return get_content().triage.red_flag(str(flag)).level in ("emergency", "urgent")
    return label in ALARMS


def recalled(line: Line, got: Match) -> bool:
    got_label, got_id = meaning(got.intent)
    if line.intent == NEAR_MISS:
        return not alarm(got.intent)
    want_label, want_id = meaning(line.intent, line.slot)
    # a custom slot gives its resolved id; a number or time slot gives its value
    values = {got_id, *(heard if vid is None else vid for heard, vid in got.slots.values())}
    return got_label == want_label and (want_id is None or want_id in values)


def evaluate(lines: list[Line], hearers: dict[str, Hears]) -> dict[str, list[Result]]:
    results: dict[str, list[Result]] = {}
    for locale, hearer in hearers.items():
        results[locale] = []
        for line in lines:
            if locale in line.locales:
                got = hearer.match(line.phrase)
                results[locale].append(Result(line, got, recalled(line, got)))
    return results


def recall_by_intent(results: list[Result]) -> dict[str, tuple[int, int]]:
    """label -> (recalled, lines); near misses are not an intent (see false_alarms)."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for result in results:
        if result.line.intent != NEAR_MISS:
            label = meaning(result.line.intent, result.line.slot)[0]
            table[label][0] += result.ok
            table[label][1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(table.items())}


def _count(results: Iterable[Result], keep: Callable[[Line], bool]) -> tuple[int, int]:
    chosen = [r for r in results if keep(r.line)]
    return sum(r.ok for r in chosen), len(chosen)


def overall(results: list[Result]) -> tuple[int, int]:
    return _count(results, lambda line: line.intent != NEAR_MISS)


def warning_signs(results: list[Result]) -> tuple[int, int]:
    return _count(results, lambda line: line.intent in WARNING_LABELS)


def false_alarms(results: list[Result]) -> tuple[int, int]:
    """(near misses heard as an alarm, near misses)."""
    ok, n = _count(results, lambda line: line.intent == NEAR_MISS)
    return n - ok, n


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}% ({part}/{whole})" if whole else "-"


def summary(results: dict[str, list[Result]]) -> str:
    out = ["| locale | overall | warning signs | near-miss false alarms |", "|---|---:|---:|---:|"]
    for loc, rs in results.items():
        out.append(f"| {loc} | {_pct(*overall(rs))} | {_pct(*warning_signs(rs))} | "
                   f"{_pct(*false_alarms(rs))} |")
    return "\n".join(out)


def report(results: dict[str, list[Result]], misses: bool) -> str:
    out = [summary(results), ""]
    intents = sorted({i for rs in results.values() for i in recall_by_intent(rs)})
    out.append("| intent | " + " | ".join(results) + " |")
    out.append("|---|" + "---:|" * len(results))
    tables = {loc: recall_by_intent(rs) for loc, rs in results.items()}
    for intent in intents:
        cells = []
        for loc in results:
            ok, n = tables[loc].get(intent, (0, 0))
            cells.append(f"{100 * ok / n:.0f}% ({ok}/{n})" if n else "-")
        out.append(f"| {intent} | " + " | ".join(cells) + " |")
    if misses:
        for loc, rs in results.items():
            for r in rs:
                if not r.ok:
                    slot = r.line.slot or "-"
                    out.append(f"miss {loc}: {r.line.intent}/{slot}: {r.line.phrase!r} -> "
                               f"{r.got.intent} {r.got.slots or ''}")
    return "\n".join(out)


def hearers(stage: str, locales: Iterable[str]) -> dict[str, Hears]:
    from .understanding import Understanding

    return {loc: Understanding.for_locale(MODELS, loc, exact=stage == "exact") for loc in locales}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nlu_report", description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list every phrase not recalled")
    parser.add_argument("--locale", action="append", help="only this locale (repeatable)")
    parser.add_argument("--stage", choices=STAGES, action="append",
                        help="only this stage (default: both)")
    parser.add_argument("--holdout", action="append", type=Path,
                        help="a held-out file (repeatable; default: every round)")
    args = parser.parse_args(argv)
    paths: list[Path] = args.holdout or [p for p in ALL_ROUNDS if p.exists()]
    rounds = {path: read_holdout(path) for path in paths}
    for stage in args.stage or STAGES:
        heard = hearers(stage, args.locale or LOCALES)
        for path, lines in rounds.items():
            print(f"\n## {path.name}, {stage} stage\n")
            print(report(evaluate(lines, heard), args.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
