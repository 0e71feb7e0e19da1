"""Every response the content can produce, held to Alexa's limits (`thigh-coach check`).

Walks each locale and each voice (the user, "she", "the person you're helping") through the
welcome and menus, every symptom-check question and outcome (every path of yes, no and not
sure), every red flag's advice, every chunk of every cause, and every step of every routine
at the shortest, default and longest holds, and reports any response whose speech is not
well-formed SSML, is over 8,000 characters, has a break over 10 s or two breaks in a row,
runs over 90 s of audio, or would make a response over 24 KB; and, outside timed holds, any
response over its speaking-time budget (SECONDS), advice whose first sentence lacks the
action and the number, an open response that does not end with a question, or a term said
without its plain explanation. The check as a whole asks at most twelve questions and two
minutes of speech before any outcome.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from .content import Content
from .dialog import Dialog
from .profile import Profile
from .reply import Reply
from .safety_talk import ADVICE
from .speech import MAX_BREAK_S, MAX_SSML_CHARS, breaks_of
from .state import SIGNALS, Conversation, Mode, RoutinePlace, Who
from .timer import HOLD_END, HOLD_RANGE, HOLD_START, MAX_RESPONSE_AUDIO_S, speaking_time
from .triage import SymptomCheck

MAX_RESPONSE_BYTES = 24 * 1024
SESSION_ALLOWANCE = 1024  # session attributes are ids and indexes: well under this
SSML_TAGS = {"speak", "break", "audio"}  # all this skill writes; every one Alexa-supported
CLIP_SECONDS = {HOLD_START.src: HOLD_START.seconds, HOLD_END.src: HOLD_END.seconds}
WHO: tuple[Who, ...] = ("self", "she", "they")
_APL = json.loads((Path(__file__).parent / "alexa" / "exercise_apl.json").read_text())


def answer_paths(content: Content) -> Iterator[str]:
    """Every answer string the check can be at: each question and each outcome, over every
    path of yes, no and not sure (the check is a short tree: a few hundred paths)."""
    check = SymptomCheck(content)
    frontier = [""]
    while frontier:
        answers = frontier.pop()
        yield answers
        if check.step(answers).outcome is None:
            frontier += [answers + a for a in "ynu"]


# What each kind of response may take to say, at 150 words a minute (docs/speaking-budget.md):
# advice to act on names the action and the number in its first sentence.
SECONDS = {"emergency": 15.0, "urgent": 15.0, "outcome": 20.0, "welcome": 12.0,
           "welcome_back": 6.0, "question": 20.0, "other": 20.0}
LIST_ITEMS = 3  # a list read aloud names at most three, then offers more
# A term the user may not know, and the plain words that must come with it in the response.
EXPLAINED = {"claudication": "arteries", "thrombosis": "clot", "D V T": "clot",
             "tendinopathy": "tendon", "myofascial": "knots", "bursitis": "sit bone",
             "H R T": "hormone", "ischial": "sit bone"}


class Said(NamedTuple):
    label: str
    kind: str  # "step" (a timed routine step), or a key of SECONDS
    locale: str
    reply: Reply


def every_reply(content: Content) -> Iterator[Said]:  # noqa: C901 - over the limit when the rule came in (2026-12-03)
    """Everything the content can say, in each locale and voice, with its kind."""
    check = SymptomCheck(content)
    for locale, who in itertools.product(content.locales, WHO):
        state = Conversation(who=who)
        d = Dialog(content, locale, state, Profile())
        tag = f"{locale}/{who}"

        def said(label: str, kind: str, reply: Reply, tag: str = tag,
                 locale: str = locale) -> Said:
            return Said(f"{tag} {label}", kind, locale, reply)

        yield said("welcome", "welcome", d.present("welcome", False))
        yield said("welcome back", "welcome_back", d.present("welcome", True))
        for name in ("help", "fallback", "menu", "cause_list", "routine_list",
                     "forget_confirm", "flag_unclear", "how_bad", "nerve_info",
                     "fall_question", "start_check_offer", "reminder_time"):
            yield said(name, "other", d.present(name))
        for kind in ADVICE:  # only "call now" is advice to act on; the rest say when to
            level = "emergency" if kind == "fall_cannot_get_up" else "other"
            yield said(f"advice {kind}", level, d.present("advice", kind))
        for signal in SIGNALS:
            state.signal = signal
            yield said(f"refused {signal}", "other", d.present("refused"))
            yield said(f"menu after {signal}", "other", d.present("menu"))
            yield said(f"help after {signal}", "other", d.present("help"))
        state.signal = None
        for answers in answer_paths(content):
            state.answers, state.check_open = answers, True
            outcome = check.step(answers).outcome
            kind = "question" if outcome is None else (
                outcome.level if outcome.stops_early else "outcome")
            yield said(f"triage {answers!r}", kind, d.present("question"))
        state.answers, state.check_open = "", False
        for flag in content.triage.red_flags:
            if flag.level is None:  # a question that only opens follow-ups: no advice
                continue
            kind = flag.level if flag.level != "soon" else "outcome"
            yield said(f"red flag {flag.id}", kind, d.present("flag", flag.id))
        for cause in content.causes.values():
            for chunk in range(len(d.causes._chunks(cause))):
                yield said(f"cause {cause.id} #{chunk}", "other",
                           d.present("cause", cause.id, chunk))
        for label, reply in d.topics.every_reply():
            yield said(label, "other", reply)
        for routine in content.routines.values():
            # without sounds at one hold length: steps are packed alike either way
            for hold, sounds in ((HOLD_RANGE[0], None), (None, None), (HOLD_RANGE[1], None),
                                 (None, False)):
                d.profile.hold_s, d.profile.sounds = hold, sounds
                for index in range(len(routine.exercises)):
                    for step in range(len(d.coach.steps(routine, index))):
                        state.mode = Mode.ROUTINE
                        state.place = RoutinePlace(routine.id, index, step)
                        label = f"routine {routine.id} hold {hold}{' quiet' * (sounds is False)}"
                        yield said(f"{label} #{index}.{step}", "step", d.present("step"))
            d.profile.hold_s = d.profile.sounds = None
        state.mode, state.place = Mode.HOME, None
        # the publish mode that asks nothing about health says these instead
        quiet = Dialog(content, locale, Conversation(who=who), Profile(), read_aloud=True)
        yield said("read-aloud welcome", "welcome", quiet.present("welcome", False))
        for name, args in (("help", ()), ("menu", ()), ("fallback", ()), ("flag_unclear", ()),
                           ("warning_signs", (0,)), ("warning_signs", (1,)),
                           ("advice", ("fall",)), ("reminder_confirm", (19 * 60,)),
                           ("reminder_morning", (7 * 60,))):
            kind = "emergency" if args == ("fall",) else "other"
            yield said(f"read-aloud {name} {args}", kind, quiet.present(name, *args))


def spoken(ssml: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", ssml).split()))


def budget_problems(content: Content, said: Said) -> list[str]:
    """The speaking-time budget, and the shape every open response must have."""
    label, kind, reply = said.label, said.kind, said.reply
    found: list[str] = []
    try:
        text = spoken(reply.speech.ssml())
    except ValueError:
        return found  # too long for Alexa at all: problems_of reports it
    if not reply.end and not text.endswith("?"):
        found.append(f"{label}: keeps listening but does not end with a question")
    if not reply.end and (reply.reprompt is None
                          or not spoken(reply.reprompt.ssml()).endswith("?")):
        found.append(f"{label}: its reprompt is not a question")
    if kind == "step":
        return found
    seconds = speaking_time(text)
    if seconds > SECONDS[kind]:
        found.append(f"{label}: {seconds:.1f} s to say, over the {SECONDS[kind]:g} s budget")
    if kind in ("emergency", "urgent"):
        locale = content.locales[said.locale]
        first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
        number = locale.emergency if kind == "emergency" else locale.same_day
        if number not in first:
            found.append(f"{label}: {kind} advice without the action and number first: "
                         f"{first!r}")
    if kind in ("question", "outcome", "emergency", "urgent"):
        for term, plain in EXPLAINED.items():
            if term.lower() in text.lower() and plain not in text.lower():
                found.append(f"{label}: says {term!r} without explaining it ({plain!r})")
    return found


MAX_QUESTIONS = 12  # on any path through the check (docs/clinical-reference.md)


def check_length_problems(content: Content) -> list[str]:
    """The check itself: at most MAX_QUESTIONS questions and two minutes of speech before any
    outcome."""
    found = []
    check = SymptomCheck(content)
    for locale, who in itertools.product(content.locales, WHO):
        d = Dialog(content, locale, Conversation(who=who), Profile())
        intro = speaking_time(d.t("triage_intro")) + speaking_time(d.t("patterns_intro"))
        frontier: list[tuple[str, float]] = [("", intro)]
        while frontier:
            answers, seconds = frontier.pop()
            step = check.step(answers)
            if step.outcome is not None:
                if len(answers) > MAX_QUESTIONS:
                    found.append(f"{locale}/{who} check {answers!r}: {len(answers)} questions")
                if seconds > 120:
                    found.append(f"{locale}/{who} check {answers!r}: {seconds:.0f} s of "
                                 "questions before the outcome")
                continue
            assert step.question is not None and step.question.question is not None
            asked = seconds + speaking_time(d.turn.words(step.question.question))
            frontier += [(answers + a, asked) for a in "ynu"]
    return found


def problems_of(label: str, reply: Reply, is_step: bool) -> list[str]:
    """Alexa's limits: SSML, characters, breaks, audio length, response size."""
    found = []
    try:
        ssml = reply.speech.ssml()
    except ValueError as exc:
        return [f"{label}: {exc}"]
    for part, text in (("speech", ssml),
                       ("reprompt", reply.reprompt.ssml() if reply.reprompt else None)):
        if text is None:
            continue
        try:
            root = ET.fromstring(text)
        except ET.ParseError as exc:
            found.append(f"{label}: {part} is not well-formed SSML: {exc}")
            continue
        tags = {node.tag for node in root.iter()} - SSML_TAGS
        if tags:
            found.append(f"{label}: {part} uses tags Alexa may not support: {sorted(tags)}")
        if len(text) > MAX_SSML_CHARS:
            found.append(f"{label}: {part} is {len(text)} characters, over {MAX_SSML_CHARS}")
        if any(b > MAX_BREAK_S for b in breaks_of(text)):
            found.append(f"{label}: {part} has a break over {MAX_BREAK_S:g} s")
        if re.search(r"<break[^>]*/>\s*<break", text):
            found.append(f"{label}: {part} has two breaks in a row")
    if is_step:
        spoken = re.sub(r"<[^>]+>", " ", ssml)
        clips = sum(CLIP_SECONDS.get(src, 0.0) for src in re.findall(r'<audio src="([^"]+)"', ssml))
        audio = sum(breaks_of(ssml)) + speaking_time(spoken) + clips
        if audio > MAX_RESPONSE_AUDIO_S:
            found.append(f"{label}: about {audio:.0f} s of audio in one response")
    size = len(json.dumps({
        "version": "1.0", "sessionAttributes": {}, "response": {
            "outputSpeech": {"type": "SSML", "ssml": ssml},
            "reprompt": {"outputSpeech": {"type": "SSML", "ssml": reply.reprompt.ssml()}}
            if reply.reprompt else None,
            "card": {"type": "Simple", "title": reply.card[0], "content": reply.card[1]}
            if reply.card else None,
            "directives": [{"type": "Alexa.Presentation.APL.RenderDocument",
                            "document": _APL, "datasources": {"exercise": reply.screen}}]
            if reply.screen else []}}).encode()) + SESSION_ALLOWANCE
    if size > MAX_RESPONSE_BYTES:
        found.append(f"{label}: response would be about {size} bytes, over 24 KB")
    return found


def check(content: Content) -> list[str]:
    problems: list[str] = check_length_problems(content)
    for said in every_reply(content):
        problems += problems_of(said.label, said.reply, said.kind == "step")
        problems += budget_problems(content, said)
    return problems
