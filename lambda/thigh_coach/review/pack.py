"""What the pack says: every question, outcome, piece of advice, cause, routine script and
source, as blocks (`blocks.py`) for the two renderers.

Nothing medical is typed here. Questions, rules and sources come from the content; every
spoken wording is what the skill's own code produces (the symptom check is answered through
`Dialog.answer`, advice and explanations through `Dialog.present`, routine scripts from the
timer's plans), so what a clinician signs is what a user hears.

The content and the check's rules change (new question kinds, patterns that carry a level or
advice, conditions that are lists), so the pack reads them generically: it lists the fields
an item has, puts any field keyed by yes / no / not sure under that answer, and learns what
each answer leads to by walking the check rather than by restating its rules.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..content import ANSWERS, LEVELS, Content, Wording
from ..contentcheck import answer_paths
from ..dialog import Dialog
from ..profile import Profile
from ..reply import Reply
from ..speech import to_text
from ..state import Ask, Conversation, Mode, RoutinePlace, Who
from ..timer import WORDS_PER_SECOND, Begin, Pause, Release, Say, Sound, duration, speaking_time
from ..triage import ANSWER_CODES, SymptomCheck
from ..voice import PERSONS, Voice
from .blocks import (
    Block,
    Cell,
    Diagram,
    Heading,
    Inline,
    Line,
    Para,
    Picture,
    SignOff,
    Span,
    Table,
    anchor,
    bold,
    cell,
    code,
    joined,
    line,
    muted,
)
from .drawings import drawing_file, drawing_svg

HELPER: Who = "she"  # the helper voice shown; "he" and "they" differ only in pronouns
VOICES: tuple[Who, ...] = ("self", HELPER)
ANSWER_WORDS = {"yes": "yes", "no": "no", "unsure": "not sure"}
CODE_ANSWER = {code: name for name, code in ANSWER_CODES.items()}
MAX_PATH = 64  # no check asks this many questions: a guard against a rule that never ends
MAX_WALK = 20_000  # answer paths walked with yes, no and not sure before falling back to two



# --- reading content generically ----------------------------------------------------------


def is_record(value: object) -> bool:
    """A content record: a NamedTuple (every typed content item is one)."""
    return isinstance(value, tuple) and hasattr(value, "_fields")


def kind_of(item: object) -> str:
    """"RedFlag" -> "red flag": the content's own class names, in words."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", type(item).__name__).lower()


def answer_keyed(value: object) -> bool:
    """A field whose keys are answers (weights, exclusions, ...): shown under each answer."""
    return isinstance(value, Mapping) and bool(value) and set(value) <= set(ANSWERS)


def answer_of_field(name: str) -> str | None:
    """The answer a field is about by its name ("unsure_level", "if_yes"), if any."""
    for answer in ANSWERS:
        if name.startswith((f"{answer}_", f"if_{answer}")):
            return answer
    return None


def shown_value(value: object, signed: bool = False) -> str:
    """Any field's value as plain text (ids for records, "a: b" for mappings); `signed`
    writes positive numbers with a plus, as weights read."""
    if value is None:
        return "none"
    if isinstance(value, Wording):
        return value.self_ if value.self_ == value.helper else \
            f"{value.self_} / for a helper: {value.helper}"
    if is_record(value) and hasattr(value, "id"):
        return str(value.id)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {shown_value(v, signed)}" for k, v in value.items()) or "none"
    if isinstance(value, tuple | list | set | frozenset):
        return ", ".join(shown_value(v, signed) for v in value) or "none"
    if signed and isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return f"+{value}"
    return str(value)


def empty(value: object) -> bool:
    """Nothing worth a line: None, False, or an empty text, list or mapping (0 is a value)."""
    return value is None or value is False or (
        isinstance(value, str | tuple | list | Mapping) and len(value) == 0)


def field_name(name: str) -> str:
    """A field's name in words: "hold_s" -> "hold (s)"."""
    return (name[:-2] + " (s)" if name.endswith("_s") else name).replace("_", " ")


def condition_text(value: object) -> str:
    """`ask_if`-style conditions: question -> answer (or answers), or a list of such
    conditions of which any one will do."""
    if isinstance(value, tuple | list) and all(isinstance(c, Mapping) for c in value):
        return " or ".join(f"({condition_text(c)})" if len(value) > 1 else condition_text(c)
                           for c in value)
    if isinstance(value, Mapping):
        parts = []
        for qid, answer in value.items():
            answers = answer if isinstance(answer, tuple | list) else [answer]
            parts.append(f"{qid} was " + " or ".join(ANSWER_WORDS.get(str(a), str(a))
                                                     for a in answers))
        return " and ".join(parts)
    return shown_value(value)


def fingerprint(directory: Path) -> str:
    """A hash of every content file, so a signature names exactly what was reviewed."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def presented(name: str, *args: str | int) -> Callable[[Dialog], str]:
    """What a Dialog says for one of its repeatable replies, by name."""
    return lambda d: reply_text(d.present(name, *args))


def spoken(speech: Any) -> str:
    return to_text(speech.ssml()) if speech else ""


def reply_text(reply: Reply) -> str:
    """What is heard, then the reprompt (what is heard again after silence)."""
    text = spoken(reply.speech)
    again = spoken(reply.reprompt)
    return f"{text}{REPROMPT}{again}" if again else text


def seconds_of(text: str) -> float:
    """Speaking time at the skill's assumed rate; pauses shown as [pause N s] count fully."""
    pauses = sum(float(s) for s in re.findall(r"\[pause ([\d.]+) s\]", text))
    words = re.sub(r"\[pause [\d.]+ s\]", " ", text.split(REPROMPT)[0])
    return pauses + speaking_time(words)


# --- word differences, for "the same words except ..." -------------------------------------


REPROMPT = " ‖ Reprompt: "


def _ops(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Word opcodes, with changes only one or two unchanged words apart merged into one
    ("9 1 1" -> "1 1 2" reads as one change, not two around "1 1")."""
    ops: list[tuple[str, int, int, int, int]] = []
    for op in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if ops and op[0] != "equal" and len(ops) >= 2 and ops[-1][0] == "equal" \
                and ops[-1][2] - ops[-1][1] <= 2 and ops[-2][0] != "equal":
            ops.pop()
            first = ops.pop()
            ops.append(("replace", first[1], op[2], first[3], op[4]))
        else:
            ops.append(op)
    return ops


def changes(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """What `new` changes in `old`, as (removed words, added words) pairs."""
    a, b = old.split(), new.split()
    return tuple((" ".join(a[i1:i2]), " ".join(b[j1:j2]))
                 for op, i1, i2, j1, j2 in _ops(a, b) if op != "equal")


def word_diff(old: str, new: str, context: int = 3) -> Line:
    """`new` against `old`: removed words struck out, added words marked, long runs of
    unchanged words cut to a few either side. Speech and reprompt are compared apart."""
    if REPROMPT in old and REPROMPT in new:
        (old_said, old_again), (new_said, new_again) = (x.split(REPROMPT, 1)
                                                        for x in (old, new))
        parts = []
        if old_said != new_said:
            parts.append(word_diff(old_said, new_said, context))
        if old_again != new_again:
            parts.append(line(muted("Reprompt: "), word_diff(old_again, new_again, context)))
        return joined(parts, " ‖ ")
    a, b = old.split(), new.split()
    ops = _ops(a, b)
    out: list[Inline] = []
    for index, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(ops) - 1
            if first and len(words) > context:
                words = ["…", *words[-context:]]
            elif last and len(words) > context:
                words = [*words[:context], "…"]
            elif not first and not last and len(words) > 2 * context:
                words = [*words[:context], "…", *words[-context:]]
            out.append(" ".join(words))
        else:
            if i2 > i1:
                out.append(Span(" ".join(a[i1:i2]), "del"))
            if j2 > j1:
                out.append(Span(" ".join(b[j1:j2]), "ins"))
    return joined(out, " ")


class Worded(NamedTuple):
    """One thing the skill says, in every locale and voice: (locale, who) -> text."""

    texts: Mapping[tuple[str, str], str]

    def key(self) -> tuple[str, ...]:
        return tuple(self.texts[k] for k in sorted(self.texts))


# --- the pack ------------------------------------------------------------------------------


class Review:
    def __init__(self, content: Content, *, today: dt.date | None = None) -> None:
        self.content = content
        self.today = today or dt.date.today()
        self.locales = tuple(content.locales)
        self.base = self.locales[0]
        self.check = SymptomCheck(content)
        self.full_tree = True  # set by the walk: False if it fell back to yes and no
        self.paths = self._walk()
        self.questions = self._questions()

    # --- talking to the skill ------------------------------------------------------------

    def dialog(self, locale: str, who: Who) -> Dialog:
        return Dialog(self.content, locale, Conversation(who=who), Profile())

    def worded(self, say: Callable[[Dialog], str]) -> Worded:
        """What `say` gets from a fresh conversation, in every locale and voice."""
        return Worded({(loc, who): say(self.dialog(loc, who))
                       for loc in self.locales for who in VOICES})

    def worded_words(self, wording: Wording) -> Worded:
        return Worded({(loc, who): Voice(self.content, loc, who).words(wording)
                       for loc in self.locales for who in VOICES})

    def variants(self, worded: Worded) -> Cell:
        """The base locale's words for the user and for a helper in full, then only what
        other locales change."""
        base_self, base_helper = (worded.texts[self.base, w] for w in VOICES)
        out: list[Line] = [line(bold("Self: "), base_self)]
        if base_helper == base_self:
            out.append(line(muted("Helper: the same words.")))
        else:
            out.append(line(bold(f"Helper ({HELPER}): "), base_helper))
        groups: dict[tuple, list[str]] = {}
        shown: dict[tuple, Line] = {}
        for loc in self.locales[1:]:
            own_self, own_helper = (worded.texts[loc, w] for w in VOICES)
            found = (changes(base_self, own_self), changes(base_helper, own_helper))
            groups.setdefault(found, []).append(loc)
            if found not in shown:
                diff = word_diff(base_self, own_self) if found[0] else line("no change")
                if found[1] != found[0]:
                    diff = line(diff, muted(" · helper: "), word_diff(base_helper, own_helper)
                                if found[1] else "no change")
                shown[found] = diff
        for found, locs in groups.items():
            names = ", ".join(locs)
            if found == ((), ()):
                out.append(line(muted(f"{names}: the same words as {self.base}.")))
            else:
                out.append(line(bold(f"{names}: "), shown[found]))
        return tuple(out)

    # --- walking the check -----------------------------------------------------------------

    def _walk(self) -> list[str]:
        """Answer paths, each up to its outcome: the content check's own, plus each safety
        question answered yes and not sure alone (found by stepping the check, so a sign
        that is never asked is skipped), each followed by every combination of answers to
        the other questions (yes and no only if that tree grows past MAX_WALK), plus every
        answer to every question reached, followed by no to the rest."""
        found: dict[str, None] = {}

        def add(path: str) -> None:
            # up to the outcome only: answers past an early end change nothing
            for i in range(len(path) + 1):
                found.setdefault(path[:i])
                if self.check.step(path[:i]).outcome is not None:
                    break

        for path in answer_paths(self.content):
            add(path)
        no = ANSWER_CODES["no"]
        all_no = ""
        while self.check.step(all_no).is_red_flag:
            all_no += no
        starts = {all_no}
        for i in range(len(all_no)):
            for answer in ANSWER_CODES.values():
                path = all_no[:i] + answer
                while self.check.step(path).is_red_flag:
                    path += no
                starts.add(path)
        for answers in (tuple(ANSWER_CODES.values()), (ANSWER_CODES["yes"], no)):
            tree = self._tree(sorted(starts), answers)
            self.full_tree = len(answers) == len(ANSWER_CODES)
            if tree is not None:
                break
        for path in tree or sorted(starts):
            add(path)
        for path in list(found):
            if self.check.step(path).question is not None:
                for answer in ANSWER_CODES.values():
                    add(self.complete(path + answer))
        return sorted(found, key=lambda p: (len(p), p))

    def _tree(self, starts: Sequence[str], answers: Sequence[str]) -> list[str] | None:
        """Every path from `starts` with these answers; None if over MAX_WALK paths."""
        out: list[str] = []
        frontier = list(starts)
        while frontier:
            path = frontier.pop()
            out.append(path)
            if len(out) > MAX_WALK:
                return None
            if self.check.step(path).outcome is None and len(path) < MAX_PATH:
                frontier += [path + a for a in answers]
        return out

    def complete(self, path: str) -> str:
        """`path`, then "no" to every further question until the outcome."""
        while self.check.step(path).outcome is None and len(path) < MAX_PATH:
            path += ANSWER_CODES["no"]
        return path

    def _questions(self) -> list[Any]:
        """Every question: the triage's own lists in order, then any the walk reaches that
        they lack (a new kind of question)."""
        ordered: dict[str, Any] = {}
        for name in self.content.triage._fields:
            items = getattr(self.content.triage, name)
            if isinstance(items, tuple) and items and all(is_record(i) and hasattr(i, "id")
                                                          for i in items):
                for item in items:
                    ordered.setdefault(item.id, item)
        for path in self.paths:
            question = self.check.step(path).question
            if question is not None:
                ordered.setdefault(question.id, question)
        return list(ordered.values())

    def outcome_paths(self) -> list[str]:
        return [p for p in self.paths if self.check.step(p).outcome is not None]

    def after(self, path: str, answer: str) -> str:
        """Where an answer leads: the next question's id, or "outcome:<level>"."""
        step = self.check.step(path + answer)
        if step.outcome is not None:
            return f"outcome:{step.outcome.level}"
        return str(getattr(step.question, "id", "?"))

    def edges(self) -> dict[tuple[str, str], list[str]]:
        """(question id, answer code) -> where it leads on some walked path, in walk order."""
        out: dict[tuple[str, str], list[str]] = defaultdict(list)
        for path in self.paths:
            question = self.check.step(path).question
            if question is None:
                continue
            for answer in ANSWER_CODES.values():
                target = self.after(path, answer)
                if target not in out[question.id, answer]:
                    out[question.id, answer].append(target)
        return out

    def readable(self, path: str) -> str:
        """An answer path in words, red-flag "no"s summed up."""
        red: list[tuple[str, str]] = []
        rest: list[str] = []
        for i, code_ in enumerate(path):
            step = self.check.step(path[:i])
            qid = str(getattr(step.question, "id", "?"))
            answer = ANSWER_WORDS[CODE_ANSWER[code_]]
            if step.is_red_flag:
                red.append((qid, answer))
            else:
                rest.append(f"{qid} {answer}")
        parts = []
        if red:
            said = [f"{q} {a}" for q, a in red if a != "no"]
            others = len(red) - len(said)
            if not said:
                parts.append(f"no to all {others} safety questions")
            else:
                parts.append(", ".join(said) + (f" (no to the other {others})" if others else ""))
        if rest:
            parts.append(", ".join(rest))
        return "; ".join(parts) or "no answers"

    def describe(self, outcome: Any, level: bool = True) -> str:
        """An outcome's fields, whatever they are: level, flags, causes, ..."""
        parts = []
        for name, value in zip(outcome._fields, outcome, strict=True):
            if empty(value) or (name == "level" and not level):
                continue
            parts.append(f"{field_name(name)}: {shown_value(value)}")
        return "; ".join(parts)

    def outcome_replies(self, paths: Sequence[str], locale: str, who: Who) -> dict[str, Reply]:
        """Each path answered one answer at a time through `Dialog.answer`, as a user would,
        so the session's safety memory is what it would be; the reply that gives the outcome
        is kept. Prefixes are shared: each state is built once."""
        start = Conversation(who=who)
        first = Dialog(self.content, locale, start, Profile())
        first.settle(first.check_symptoms())
        states = {"": start}
        replies: dict[str, Reply] = {}
        wanted = set(paths)
        prefixes = sorted({p[:i] for p in paths for i in range(1, len(p) + 1)},
                          key=lambda p: (len(p), p))
        for path in prefixes:
            state = states[path[:-1]].copy()
            d = Dialog(self.content, locale, state, Profile())
            reply = d.settle(d.answer(CODE_ANSWER[path[-1]]))
            if path in wanted:
                replies[path] = reply
            else:
                states[path] = state
        return replies

    # --- the document ----------------------------------------------------------------------

    def blocks(self) -> list[Block]:
        out: list[Block] = self.about()
        for section in (self.locales_section, self.flow, self.decisions, self.outcomes,
                        self.advice, self.causes, self.routines, self.other_content,
                        self.sources):
            out += section()
        out.append(Heading(2, "Sign-off: the whole pack", "sign-off"))
        out.append(SignOff("the whole pack"))
        contents = [Span(b.text, "a", "#" + b.anchor) for b in out
                    if isinstance(b, Heading) and b.level == 2]
        out.insert(len(self.about()), Para(cell(line(bold("Contents. "),
                                                     joined(contents, " · ")))))
        return out

    def about(self) -> list[Block]:
        content = self.content
        triage = content.triage
        flags = sum(1 for q in self.questions if q in triage.red_flags)
        asked = sum(1 for q in self.questions
                    if q in triage.red_flags and getattr(q, "question", None) is not None)
        # the check's plain settings (max_patterns, min_weight, ...), whatever they are now
        settings = [(k, v) for k, v in zip(triage._fields, triage, strict=True)
                    if isinstance(v, int | str) and not isinstance(v, bool)]
        outcomes = self.outcome_paths()
        longest = max((len(p) for p in outcomes), default=0)
        return [
            Heading(1, "Thigh Pain Coach: clinical review pack", "top"),
            Para(cell(
                line("Generated on ", self.today.isoformat(), " by ", code("thigh-coach review"),
                     " from the content in ", code(content.directory.name + "/"),
                     " (fingerprint ", code(fingerprint(content.directory)),
                     "). Regenerate rather than edit: every wording here is produced by the "
                     "skill's own code from that content."),
            )),
            Para(cell(
                line(bold("How to read it. "), "Each wording is shown for the person in pain "
                     "(", bold("Self"), ") and for a helper asking about someone else (",
                     bold(f"Helper ({HELPER})"), "; other helpers differ only in pronouns: ",
                     ", ".join(f"{k}: {v[0]}/{v[1]}" for k, v in PERSONS.items()),
                     "), in ", code(self.base), " in full; other locales show only the words "
                     "they change (", Span("removed", "del"), ", ", Span("added", "ins"),
                     "). \"‖ Reprompt\" is what is said again after silence. Times assume "
                     f"{round(WORDS_PER_SECOND * 60)} words a minute, with pauses counted."),
                line(bold("What was walked. "), f"{len(self.paths)} answer paths of the symptom "
                     "check: those the content check walks (", code("contentcheck.answer_paths"),
                     "); all safety questions answered no, and each answered yes and not sure "
                     "alone, each followed by every combination of "
                     + ("yes, no and not sure" if self.full_tree else "yes and no")
                     + " to the other questions; and every answer to every question reached, "
                     f"followed by no to the rest. {len(outcomes)} of them end in an outcome; "
                     "the longest asks "
                     f"{longest} questions. There are {flags} warning signs ({asked} asked in "
                     f"the check, the others only when someone says them) and "
                     f"{len(self.questions) - flags} other questions. Settings: "
                     + (", ".join(f"{field_name(k)} {shown_value(v)}" for k, v in settings)
                        or "none") + "."),
            )),
        ]

    def locales_section(self) -> list[Block]:
        rows = []
        for loc_id, loc in self.content.locales.items():
            extra = [f"{name}: {shown_value(getattr(loc, name))}" for name in loc._fields
                     if name not in ("id", "emergency", "emergency_card", "same_day", "soon",
                                     "texts", "sources")]
            rows.append((
                cell(code(loc_id)), cell(loc.emergency), cell(loc.emergency_card),
                cell(loc.same_day), cell(loc.soon),
                cell(joined(code(s) for s in self.locale_sources(loc_id))),
                cell(joined([code(k) for k in loc.texts] or ["none"]), *extra),
            ))
        return [
            Heading(2, "Locales and numbers", "locales"),
            Para(cell("What each locale tells people to call (as spoken, and as written on a "
                      "card), who to see the same day and within days, the sources it cites, "
                      "and the texts it words differently.")),
            Table(("Locale", "Emergency (spoken)", "Emergency (card)", "Same day", "Within days",
                   "Sources", "Own texts"), tuple(rows)),
            SignOff("locales and numbers"),
        ]

    def locale_sources(self, locale: str) -> tuple[str, ...]:
        """The sources a locale cites: typed content if it keeps them, else locales.yaml."""
        typed = getattr(self.content.locales[locale], "sources", None)
        if typed is not None:
            return tuple(typed)
        return tuple(_raw_locale_sources(self.content.directory).get(locale, ()))

    def question_label(self, target: str) -> str:
        if target.startswith("outcome:"):
            return "outcome: " + target.split(":", 1)[1].replace("_", " ")
        return target

    def flow(self) -> list[Block]:
        edges = self.edges()
        targets = {t for goes in edges.values() for t in goes}
        reached = [q for q in self.questions if q.id in targets
                   or any((q.id, a) in edges for a in ANSWER_CODES.values())]
        first = str(getattr(self.check.step("").question, "id", ""))
        levels = [lvl for lvl in LEVELS
                  if any(f"outcome:{lvl}" in t for t in edges.values())]

        def node(target: str) -> str:
            return "o_" + target.split(":", 1)[1] if target.startswith("outcome:") \
                else "q_" + target

        def label(text: str) -> str:
            return text.replace('"', "#quot;")

        lines = ["flowchart TD", '  start(["Start the symptom check"])']
        for q in reached:
            short = self.words(getattr(q, "short", None) or getattr(q, "question", None))
            lines.append(f'  {node(q.id)}["{label(q.id)}<br/>{label(short)}"]')
        for lvl in levels:
            lines.append(f'  o_{lvl}(["outcome: {lvl.replace("_", " ")}"])')
        if first:
            lines.append(f"  start --> {node(first)}")
        for q in reached:
            by_target: dict[str, list[str]] = {}
            for answer in ANSWER_CODES.values():
                for target in edges.get((q.id, answer), []):
                    by_target.setdefault(target, []).append(ANSWER_WORDS[CODE_ANSWER[answer]])
            for target, answers in by_target.items():
                lines.append(f"  {node(q.id)} -->|{' / '.join(answers)}| {node(target)}")
        flags = [node(q.id) for q in reached if q in self.content.triage.red_flags]
        if flags:
            lines.append("  classDef redflag fill:#fde2e2,stroke:#b00000")
            lines.append(f"  class {','.join(flags)} redflag")
        rows = []
        for q in reached:
            columns: list[Cell] = []
            for answer in ANSWER_CODES.values():
                goes = edges.get((q.id, answer), [])
                columns.append(cell(joined(
                    Span(self.question_label(t), "a", "#" + anchor("q", t))
                    if not t.startswith("outcome:")
                    else Span(self.question_label(t), "a", "#" + anchor("outcomes"))
                    for t in goes) if goes else line("not asked")))
            rows.append((cell(Span(q.id, "code")), cell(kind_of(q)), *columns))
        return [
            Heading(2, "The symptom check as a flow", "flow"),
            Para(cell("Each arrow is taken on at least one walked answer path (which question "
                      "comes next can depend on earlier answers and on how many questions have "
                      "been asked: the decision table gives the conditions). One answer can "
                      "lead to more than one outcome level, because earlier answers (a not sure "
                      "to a safety question, a sign answered yes) set the level too. Safety "
                      "questions are shaded.")),
            Diagram("\n".join(lines), Table(("Question", "Kind", "Yes →", "No →", "Not sure →"),
                                            tuple(rows))),
            SignOff("the flow of the symptom check"),
        ]

    def shown(self, value: object) -> str:
        """A field's value; a wording as spoken (base locale) for the user and a helper."""
        if isinstance(value, Wording):
            own, helper = self.words(value), self.words(value, HELPER)
            return own if own == helper else f"{own} / for a helper: {helper}"
        return shown_value(value, signed=True)

    def words(self, wording: Any, who: Who = "self", locale: str | None = None) -> str:
        if not isinstance(wording, Wording):
            return shown_value(wording)
        return Voice(self.content, locale or self.base, who).words(wording)

    def decisions(self) -> list[Block]:  # noqa: C901 - over the limit when the rule came in (2026-12-03)
        edges = self.edges()
        shown_fields = {"id", "question", "short", "sources", "advice", "phrases", "level",
                        "covers"}
        positions: dict[str, set[int]] = defaultdict(set)
        reach: dict[str, str] = {}
        for path in self.paths:
            step = self.check.step(path)
            if step.question is not None:
                positions[step.question.id].add(len(path) + 1)
                best = reach.get(step.question.id)
                if best is None or _fewest_yes(path) < _fewest_yes(best):
                    reach[step.question.id] = path
        rows = []
        for q in self.questions:
            about = [line(Span("", "id", anchor("q", q.id)), code(q.id)), line(kind_of(q))]
            if getattr(q, "level", None):
                about.append(line("level: ", bold(str(q.level))))
            if getattr(q, "covers", None):
                about.append(line("screens for: ", ", ".join(q.covers)))
            asked: list[Line] = []
            if q.id in positions:
                nums = sorted(positions[q.id])
                asked.append(line(f"question {nums[0]}" if len(nums) == 1
                                  else f"question {nums[0]} to {nums[-1]}"))
            else:
                asked.append(line(bold("not asked"), " on any walked path"))
            other: list[Line] = []
            per_answer: dict[str, list[Line]] = defaultdict(list)
            for name in q._fields:
                value = getattr(q, name)
                if name in shown_fields or empty(value):
                    continue
                if name.startswith("ask_if"):
                    asked.append(line("only if ", condition_text(value)))
                elif answer_of_field(name) is not None:
                    per_answer[str(answer_of_field(name))].append(
                        line(f"{field_name(name)}: ", self.shown(value)))
                elif answer_keyed(value):
                    for answer, part in value.items():
                        if part:
                            per_answer[answer].append(line(f"{field_name(name)}: ",
                                                           shown_value(part, signed=True)))
                else:
                    other.append(line(f"{field_name(name)}: ", self.shown(value)))
            wording = getattr(q, "question", None)
            short = getattr(q, "short", None)
            said: list[Line] = []
            if isinstance(wording, Wording):
                said += [line(bold("Question")), *self.variants(self.worded_words(wording))]
            else:
                said.append(line(muted("Not asked in the check: said only when someone "
                                       "mentions it.")))
            if isinstance(short, Wording):
                said += [line(bold("Reprompt")), *self.variants(self.worded_words(short))]
            answers = []
            for name, answer in ANSWER_CODES.items():
                lines_ = list(per_answer.get(name, []))
                goes = edges.get((q.id, answer), [])
                if goes:
                    lines_.append(line("then: ", joined(self.question_label(t) for t in goes)))
                if q.id in reach:
                    end = self.check.step(self.complete(reach[q.id] + answer)).outcome
                    if end is not None:
                        lines_.append(line("outcome if the rest are no: ",
                                           bold(end.level.replace("_", " "))))
                        lines_.append(line(muted(self.describe(end, level=False))))
                answers.append(tuple(lines_) or cell("not asked"))
            rows.append((tuple(about), tuple(asked), tuple(said), *answers,
                         tuple(other) or cell("none"),
                         cell(joined(code(s) for s in getattr(q, "sources", ())))))
        return [
            Heading(2, "Decision table", "decisions"),
            Para(cell(
                "Every question, in the order the check asks them, with what each answer "
                "does. Rules come from the content (weights and any other per-answer field "
                "under its answer) and from the check's code (the level a red flag sets); "
                "\"then\" is what comes next on the walked paths, and \"if the rest are no\" "
                "is the outcome reached by answering no to every later question, from the "
                "path to this question with the fewest other answers.")),
            Table(("Question", "Asked", "Wording", "Yes", "No", "Not sure", "Other rules",
                   "Sources"), tuple(rows)),
            SignOff("the decision table"),
        ]

    def outcomes(self) -> list[Block]:
        paths = self.outcome_paths()
        replies = {(loc, who): self.outcome_replies(paths, loc, who)
                   for loc in self.locales for who in VOICES}
        groups: dict[tuple, list[str]] = {}
        wordings: dict[tuple, Worded] = {}
        for path in paths:
            outcome = self.check.step(path).outcome
            assert outcome is not None  # outcome_paths() holds only paths with one
            worded = Worded({k: reply_text(r[path]) for k, r in replies.items()})
            key = (LEVELS.index(outcome.level) if outcome.level in LEVELS else len(LEVELS),
                   outcome.level, worded.key())
            groups.setdefault(key, []).append(path)
            wordings[key] = worded
        rows = []
        for key in sorted(groups, key=lambda k: (k[0], groups[k][0])):
            members = groups[key]
            found = list(dict.fromkeys(self.describe(self.check.step(p).outcome, level=False)
                                       for p in members))
            shown = found[:4] + ([f"and {len(found) - 4} more"] if len(found) > 4 else [])
            shortest = min(members, key=lambda p: (len(p), p))
            worded = wordings[key]
            rows.append((
                cell(bold(key[1].replace("_", " "))),
                tuple(line(x) for x in shown),
                cell(f"{len(members)} path{'s' if len(members) != 1 else ''}; shortest: "
                     f"{self.readable(shortest)}"),
                self.variants(worded),
                cell(f"{seconds_of(worded.texts[self.base, 'self']):.0f} s"),
            ))
        return [
            Heading(2, "Outcomes", "outcomes"),
            Para(cell(
                f"Every outcome the walked answer paths reach ({len(paths)} paths), answered "
                "through the conversation one answer at a time as a user would; paths whose "
                f"words are the same in every locale and voice share a row ({len(rows)} rows). "
                "Most serious first.")),
            Table(("Level", "What the check found", "Reached by", "Words", "Time (self)"),
                  tuple(rows)),
            SignOff("the outcomes"),
        ]

    def advice(self) -> list[Block]:
        rows = []
        for q in self.questions:
            if getattr(q, "advice", None) is None:
                continue
            if q in self.content.triage.red_flags:
                worded = self.worded(presented("flag", q.id))
            else:  # advice a question carries that no "flag" reply presents: its own words
                worded = self.worded_words(q.advice)
            about = [line(code(q.id)), line(kind_of(q))]
            if getattr(q, "level", None):
                about.append(line("level: ", bold(str(q.level))))
            phrases = getattr(q, "phrases", ())
            rows.append((tuple(about),
                         cell("; ".join(phrases)) if phrases else cell(muted("none")),
                         self.variants(worded),
                         cell(f"{seconds_of(worded.texts[self.base, 'self']):.0f} s")))
        from .. import safety_talk

        other = []
        for kind in getattr(safety_talk, "ADVICE", {}):
            worded = self.worded(presented("advice", kind))
            other.append((cell(code(kind)), self.variants(worded),
                          cell(f"{seconds_of(worded.texts[self.base, 'self']):.0f} s")))
        unclear = self.worded(presented("flag_unclear"))
        other.append((cell(code("flag_unclear")), self.variants(unclear),
                      cell(f"{seconds_of(unclear.texts[self.base, 'self']):.0f} s")))
        return [
            Heading(2, "Warning-sign advice", "advice"),
            Para(cell("What is said when a warning sign is answered yes in the check or said "
                      "at any moment (the phrases listed, among others the interaction model "
                      "accepts), in every locale.")),
            Table(("Sign", "Said at any moment as", "Words", "Time (self)"), tuple(rows)),
            Heading(3, "Signs during exercise, falls, and unclear alarms", "advice-other"),
            Table(("Kind", "Words", "Time (self)"), tuple(other)),
            SignOff("the warning-sign advice"),
        ]

    def causes(self) -> list[Block]:
        out: list[Block] = [
            Heading(2, "Cause explanations", "causes"),
            Para(cell("Each cause as the skill explains it: the one-breath summary, then one "
                      "chunk per \"tell me more\", ending with what it offers next.")),
        ]
        for cause in self.content.causes.values():
            facts = [line(code(cause.id), " · ", cause.name)]
            for name in cause._fields:
                value = getattr(cause, name)
                if name in ("id", "name", "summary", "more", "signs", "helps", "see_doctor",
                            "gate", "sources") or empty(value):
                    continue
                facts.append(line(f"{field_name(name)}: ", shown_value(value)))
            facts.append(line("sources: ", joined(code(s) for s in cause.sources)))
            chunks = []
            for index in range(MAX_PATH):
                worded = self.worded(presented("cause", cause.id, index))
                chunks.append((cell(str(index + 1)), self.variants(worded),
                               cell(f"{seconds_of(worded.texts[self.base, 'self']):.0f} s")))
                last = self.dialog(self.base, "self").present("cause", cause.id, index)
                if last.asks != Ask.HEAR_MORE:
                    break
            out += [Heading(3, cause.name[0].upper() + cause.name[1:], anchor("cause", cause.id)),
                    Para((joined(facts, " · "),)),
                    Table(("Chunk", "Words", "Time (self)"), tuple(chunks))]
        out.append(SignOff("the cause explanations"))
        return out

    def routines(self) -> list[Block]:
        out: list[Block] = [
            Heading(2, "Routines", "routines"),
            Para(cell(
                "Every routine's script at its default hold, side by side as planned for the "
                "user (left side first): each line with the second it starts at, measured from "
                "the timer's own events (words at the assumed rate, pauses at their length). "
                "A hold runs from the end of \"begin\" to the start of the release cue; its "
                "measured length is the time of everything between.")),
        ]
        for routine in self.content.routines.values():
            base = self.dialog(self.base, "self")
            total = base.coach.routine_seconds(routine)
            facts = [line(code(routine.id), " · ", routine.name),
                     line("exercises: ", joined(code(e) for e in routine.exercises)),
                     line(f"about {total / 60:.1f} minutes in all ({total:.0f} s)")]
            for name in routine._fields:
                value = getattr(routine, name)
                if name in ("id", "name", "exercises", "sources") or empty(value):
                    continue
                facts.append(line(f"{field_name(name)}: ", shown_value(value)))
            facts.append(line("sources: ", joined(code(s) for s in routine.sources)))
            out += [Heading(3, routine.name[0].upper() + routine.name[1:],
                            anchor("routine", routine.id)), Para((joined(facts, " · "),))]
            for index, exercise_id in enumerate(routine.exercises):
                out += self.exercise_blocks(routine, index, exercise_id)
        out.append(SignOff("the routines"))
        return out

    def exercise_blocks(self, routine: Any, index: int, exercise_id: str) -> list[Block]:
        exercise = self.content.exercises[exercise_id]
        facts = [line(code(exercise.id), " · ", exercise.name)]
        for name in exercise._fields:
            value = getattr(exercise, name)
            if name in ("id", "name", "setup", "action", "safety", "sources") \
                    or empty(value):
                continue
            facts.append(line(f"{field_name(name)}: ", shown_value(value)))
        facts.append(line("sources: ", joined(code(s) for s in exercise.sources)))
        scripts: dict[tuple[str, str], Sequence[Any]] = {
            (loc, who): self.dialog(loc, who).coach.steps(routine, index)
            for loc in self.locales for who in VOICES}
        base_steps = scripts[self.base, "self"]
        rows = []
        for number, step in enumerate(base_steps):
            d = self.dialog(self.base, "self")
            d.state.place = RoutinePlace(routine.id, index, number)
            d.state.mode = Mode.ROUTINE
            heard = spoken(d.present("step").speech)
            core = spoken(step.speech())
            before, _, after = heard.partition(core) if core and core in heard else ("", "", "")
            script: list[Line] = []
            if before.strip():
                script.append(line(muted("   —  "), before.strip()))
            at = 0.0
            holds: list[Line] = []
            begun: float | None = None
            previous: object = None
            for event in step.events:
                stamp = muted(f"{at:6.1f} s  ")
                if isinstance(event, Begin):
                    begun = at
                    script.append(line(stamp, bold(f"hold begins ({event.hold_s} s planned)")))
                elif isinstance(event, Release):
                    if begun is not None:
                        holds.append(line(f"hold {len(holds) + 1}: starts at {begun:.1f} s, "
                                          f"lasts {at - begun:.1f} s"))
                        script.append(line(stamp, bold(f"hold ends after {at - begun:.1f} s")))
                    begun = None
                elif isinstance(event, Pause):
                    pause = muted(f"[pause {event.seconds:g} s]")
                    if script and isinstance(previous, Say):  # on the line it follows
                        script[-1] = line(script[-1], " ", pause)
                    else:
                        script.append(line(stamp, pause))
                elif isinstance(event, Say):
                    script.append(line(stamp, event.text))
                elif isinstance(event, Sound):
                    script.append(line(stamp, muted(f"[chime, {event.seconds:g} s]")))
                else:  # an event kind this pack does not know yet: shown, still timed
                    script.append(line(stamp, muted(repr(event))))
                at += duration(event)
                previous = event
            if after.strip():
                script.append(line(muted("   —  "), after.strip()))
            side = step.side or "both legs"
            reps = (f"repetition {step.first_rep}" if step.first_rep == step.last_rep
                    else f"repetitions {step.first_rep} to {step.last_rep}"
                    if step.last_rep >= step.first_rep else "getting into position")
            rows.append((cell(f"{number + 1}", side, reps), tuple(script),
                         tuple(holds) or cell(muted("no held hold: paced by count")),
                         cell(f"{step.seconds():.1f} s")))
        differences = self.script_differences(scripts)
        return [
            Heading(4, exercise.name[0].upper() + exercise.name[1:],
                    anchor("routine", routine.id, exercise.id)),
            Para((joined(facts, " · "),)),
            Picture("What a screen shows: the start position while getting set, then the "
                    "position to reach, the stretched or moving part in amber; the left side "
                    "is the same figure mirrored.",
                    tuple((f"{exercise.name}, {position}", drawing_file(exercise.id, position),
                           drawing_svg(exercise.drawing, position))
                          for position in ("start", "end"))),
            Table(("Step", "Script (second it starts at)", "Holds, as measured", "Step total"),
                  tuple(rows)),
            Para(tuple(differences) or cell(muted(
                "The same words for a helper and in every locale."))),
        ]

    def script_differences(self, scripts: Mapping[tuple[str, str], Sequence[Any]]
                           ) -> list[Line]:
        """The lines a helper's script and other locales' scripts word differently from the
        base script, each changed line once; locales that change the same lines share one
        entry, and a locale's helper script is listed only if it changes more than that."""
        base = _say_texts(scripts[self.base, "self"])
        helper = _say_texts(scripts[self.base, HELPER])
        out = self._line_changes(f"Helper ({HELPER})", base, helper)
        groups: dict[tuple, list[str]] = {}
        for loc in self.locales[1:]:
            own, own_helper = _say_texts(scripts[loc, "self"]), _say_texts(scripts[loc, HELPER])
            found = (_line_pairs(base, own), _line_pairs(helper, own_helper))
            groups.setdefault(found, []).append(loc)
        for (self_pairs, helper_pairs), locs in groups.items():
            names = ", ".join(locs)
            loc = locs[0]
            out += self._line_changes(names, base, _say_texts(scripts[loc, "self"]))
            if helper_pairs != self_pairs:
                out += self._line_changes(f"{names}, helper ({HELPER})", helper,
                                          _say_texts(scripts[loc, HELPER]))
        return out

    def _line_changes(self, label: str, base: list[str], other: list[str]) -> list[Line]:
        if base == other:
            return []
        if len(base) != len(other):  # planned differently: no line-by-line comparison
            return [line(bold(f"{label}: "), f"a different plan ({len(other)} spoken lines "
                         f"against {len(base)}).")]
        return [line(bold(f"{label}: "), word_diff(x, y, context=40))
                for x, y in _line_pairs(base, other)]

    def other_content(self) -> list[Block]:
        """Collections of content this pack has no section of its own for (added since it
        was written): each item's wordings as the Voice says them, and its other fields."""
        out: list[Block] = []
        for name in self.content._fields:
            items = getattr(self.content, name)
            if name in KNOWN_COLLECTIONS or not isinstance(items, Mapping) or not items \
                    or not all(is_record(i) and hasattr(i, "id") for i in items.values()):
                continue
            title = name.replace("_", " ").capitalize()
            out += [Heading(2, title, anchor(name)),
                    Para(cell(f"Every item of {name} in the content, field by field (the pack "
                              "has no dedicated layout for these yet).", ))]
            for item in items.values():
                facts = [line(code(item.id), " · ", kind_of(item))]
                rows = []
                for label, value in flatten(item):
                    only = next((loc for loc in self.locales if loc in label.split()), None)
                    if isinstance(value, Wording) and only is not None:
                        # a locale's own wording: said there only
                        texts = {w: Voice(self.content, only, w).words(value) for w in VOICES}
                        rows.append((cell(label, muted(f"{only} only")), cell(
                            line(bold("Self: "), texts["self"]),
                            line(bold(f"Helper ({HELPER}): "), texts[HELPER])
                            if texts[HELPER] != texts["self"]
                            else line(muted("Helper: the same words."))),
                            cell(f"{seconds_of(texts['self']):.0f} s")))
                    elif isinstance(value, Wording):
                        worded = self.worded_words(value)
                        rows.append((cell(label), self.variants(worded), cell(
                            f"{seconds_of(worded.texts[self.base, 'self']):.0f} s")))
                    elif label == "sources" and isinstance(value, tuple):
                        facts.append(line("sources: ", joined(code(str(s)) for s in value)))
                    elif label != "id" and not empty(value):
                        facts.append(line(f"{field_name(label)}: ", shown_value(value)))
                out += [Heading(3, str(getattr(item, "name", item.id)), anchor(name, item.id)),
                        Para((joined(facts, " · "),))]
                if rows:
                    out.append(Table(("Field", "Words", "Time (self)"), tuple(rows)))
            out.append(SignOff(name.replace("_", " ")))
        return out

    def sources(self) -> list[Block]:
        cited = self.citations()
        rows = []
        for source in self.content.sources.values():
            by = cited.get(source.id, [])
            rows.append((cell(code(source.id)), cell(source.title),
                         cell(Span(source.url, "a", source.url)),
                         cell(source.reviewed.isoformat()),
                         tuple(by) if by else cell(bold("cited by nothing"))))
        return [
            Heading(2, "Sources", "sources"),
            Para(cell("Every source the content cites, with the date the statements citing it "
                      "were last checked against it, and every item that cites it.")),
            Table(("Source", "Title", "Address", "Reviewed", "Cited by"), tuple(rows)),
            SignOff("the sources"),
        ]

    def citations(self) -> dict[str, list[Line]]:  # noqa: C901 - over the limit when the rule came in (2026-12-03)
        """Source id -> every content item that cites it, found by walking the content."""
        out: dict[str, list[Line]] = defaultdict(list)

        def visit(value: object, seen: set[int]) -> None:
            if id(value) in seen or isinstance(value, str | bytes | int | float | Path):
                return
            seen.add(id(value))
            if is_record(value):
                sources = getattr(value, "sources", None)
                if isinstance(sources, tuple) and sources and all(isinstance(s, str)
                                                                   for s in sources):
                    ident = getattr(value, "id", None)
                    who = line(kind_of(value), " ", code(ident)) if ident \
                        else line(kind_of(value), " rules")
                    for source in sources:
                        if who not in out[source]:
                            out[source].append(who)
                for name in value._fields:  # type: ignore[attr-defined]
                    if name != "sources":
                        visit(getattr(value, name), seen)
            elif isinstance(value, Mapping):
                for item in value.values():
                    visit(item, seen)
            elif isinstance(value, tuple | list):
                for item in value:
                    visit(item, seen)

        for name in self.content._fields:
            if name not in ("sources", "locales", "directory"):
                visit(getattr(self.content, name), set())
        for loc in self.content.locales:
            for source in self.locale_sources(loc):
                out[source].append(line("locale ", code(loc)))
        return out


KNOWN_COLLECTIONS = frozenset({"sources", "locales", "texts", "triage", "causes", "exercises",
                               "routines", "directory"})


def flatten(value: Any, label: str = "") -> list[tuple[str, object]]:
    """A record's leaves: wordings, and plain values, each with the path to it."""
    nested = is_record(value) and not isinstance(value, Wording) or isinstance(value, Mapping) \
        or isinstance(value, tuple | list) and any(isinstance(v, Wording) or is_record(v)
                                                   for v in value)
    if not nested:
        return [(label, value)]
    pairs: Iterable[tuple[object, Any]]
    if is_record(value):
        pairs = zip(value._fields, value, strict=True)
    elif isinstance(value, Mapping):
        pairs = value.items()
    else:
        pairs = ((i + 1, v) for i, v in enumerate(value))
    out: list[tuple[str, object]] = []
    for key, item in pairs:
        out += flatten(item, f"{label} {key}" if label else str(key))
    return out


def _fewest_yes(path: str) -> tuple[int, int, str]:
    return (sum(c != ANSWER_CODES["no"] for c in path), len(path), path)


def _say_texts(steps: Sequence[Any]) -> list[str]:
    return [e.text for s in steps for e in s.events if isinstance(e, Say)]


def _line_pairs(base: list[str], other: list[str]) -> tuple[tuple[str, str], ...]:
    """Each (base line, other line) that differs, once, in order."""
    if len(base) != len(other):
        return (("", f"{len(other)} lines"),)
    return tuple(dict.fromkeys((x, y) for x, y in zip(base, other, strict=True) if x != y))


def _raw_locale_sources(directory: Path) -> dict[str, list[str]]:
    """locales.yaml's `sources` per locale, for content that validates but does not keep
    them (the typed Locale has no such field yet)."""
    import yaml

    try:
        data = yaml.safe_load((directory / "locales.yaml").read_text(encoding="utf-8"))
        return {str(k): list(v.get("sources") or []) for k, v in data["locales"].items()}
    except (OSError, KeyError, TypeError, AttributeError, yaml.YAMLError):
        return {}



def build(content: Content, *, today: dt.date | None = None) -> list[Block]:
    return Review(content, today=today).blocks()
