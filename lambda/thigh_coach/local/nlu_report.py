"""Recall on held-out phrasings: `make nlu` (python -m thigh_coach.local.nlu_report).

tests/nlu/holdout.tsv (round 1) and tests/nlu/holdout_round2.tsv (round 2) hold phrasings
written apart from the patterns and never copied into them: intent, expected slot id (or -),
phrase, locales (`all` or a comma list). A line counts for each of its locales; it is recalled
when the matcher gives the intent and, where an id is expected, the slot resolves to it.
AMAZON.YesIntent and AMAZON.NoIntent count as AnswerIntent with yes and no, as the
conversation treats them.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .nlu import Match, Matcher

REPO = Path(__file__).resolve().parents[3]
HOLDOUT = REPO / "tests" / "nlu" / "holdout.tsv"
HOLDOUT_ROUND2 = REPO / "tests" / "nlu" / "holdout_round2.tsv"
# not yet used to develop the patterns: measured, with no floor (tests/test_nlu.py)
HOLDOUT_ROUND3 = REPO / "tests" / "nlu" / "holdout_round3.tsv"
ROUNDS = (HOLDOUT, HOLDOUT_ROUND2)
MODELS = REPO / "interaction_model"
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
RED_FLAG = "RedFlagIntent"
_BUILT_IN_ANSWERS = {"AMAZON.YesIntent": "yes", "AMAZON.NoIntent": "no"}


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


def _canonical(intent: str, slot: str | None) -> tuple[str, str | None]:
    if intent in _BUILT_IN_ANSWERS:
        return "AnswerIntent", _BUILT_IN_ANSWERS[intent]
    return intent, slot


def recalled(line: Line, got: Match) -> bool:
    want_intent, want_slot = _canonical(line.intent, line.slot)
    got_intent, got_slot = _canonical(got.intent, None)
    # a custom slot gives its resolved id; a number or time slot gives its value
    values = {got_slot, *(heard if vid is None else vid for heard, vid in got.slots.values())}
    return got_intent == want_intent and (want_slot is None or want_slot in values)


def evaluate(lines: list[Line], matchers: dict[str, Matcher]) -> dict[str, list[Result]]:
    results: dict[str, list[Result]] = {}
    for locale, matcher in matchers.items():
        results[locale] = []
        for line in lines:
            if locale in line.locales:
                got = matcher.match(line.phrase)
                results[locale].append(Result(line, got, recalled(line, got)))
    return results


def recall_by_intent(results: list[Result]) -> dict[str, tuple[int, int]]:
    """intent -> (recalled, lines)."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for result in results:
        intent = _canonical(result.line.intent, result.line.slot)[0]
        table[intent][0] += result.ok
        table[intent][1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(table.items())}


def overall(results: list[Result]) -> tuple[int, int]:
    return sum(r.ok for r in results), len(results)


def report(results: dict[str, list[Result]], misses: bool) -> str:
    out = []
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
    cells = []
    for rs in results.values():
        ok, n = overall(rs)
        cells.append(f"{100 * ok / n:.1f}% ({ok}/{n})" if n else "-")
    out.append("| **overall** | " + " | ".join(cells) + " |")
    if misses:
        for loc, rs in results.items():
            for r in rs:
                if not r.ok:
                    slot = r.line.slot or "-"
                    out.append(f"miss {loc}: {r.line.intent}/{slot}: {r.line.phrase!r} -> "
                               f"{r.got.intent} {r.got.slots or ''}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nlu_report", description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list every phrase not recalled")
    parser.add_argument("--locale", action="append", help="only this locale (repeatable)")
    parser.add_argument("--holdout", action="append", type=Path,
                        help="a held-out file (repeatable; default: tests/nlu/holdout.tsv); "
                             "with several, a table for each and one for all together")
    args = parser.parse_args(argv)
    paths: list[Path] = args.holdout or [HOLDOUT]
    matchers = {loc: Matcher.for_locale(MODELS, loc) for loc in args.locale or LOCALES}
    rounds = {path: read_holdout(path) for path in paths}
    for path, lines in rounds.items():
        if len(rounds) > 1:
            print(f"\n## {path.name}\n")
        print(report(evaluate(lines, matchers), args.misses))
    if len(rounds) > 1:
        print("\n## all together: " + ", ".join(p.name for p in rounds) + "\n")
        print(report(evaluate([x for ls in rounds.values() for x in ls], matchers), False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
