"""Every response the content can produce, held to Alexa's limits (`thigh-coach check`).

Walks each locale and each voice (the user, "she", "the person you're helping") through the
welcome and menus, every symptom-check question and outcome, every red flag's advice, every
chunk of every cause, and every step of every routine at the shortest, default and longest
holds, and reports any response whose speech is not well-formed SSML, is over 8,000
characters, has a break over 10 s or two breaks in a row, runs over 90 s of audio, or
would make a response over 24 KB.
"""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from .content import Content
from .dialog import Dialog
from .profile import Profile
from .reply import Reply
from .safety_talk import ADVICE
from .speech import MAX_BREAK_S, MAX_SSML_CHARS, breaks_of
from .state import Conversation, Mode, RoutinePlace, Signal, Who
from .timer import HOLD_RANGE, MAX_RESPONSE_AUDIO_S, speaking_time
from .triage import SymptomCheck

MAX_RESPONSE_BYTES = 24 * 1024
SESSION_ALLOWANCE = 1024  # session attributes are ids and indexes: well under this
SSML_TAGS = {"speak", "break"}  # all this skill writes; every one is Alexa-supported
WHO: tuple[Who, ...] = ("self", "she", "they")
_APL = json.loads((Path(__file__).parent / "alexa" / "exercise_apl.json").read_text())


def answer_paths(content: Content) -> Iterator[str]:
    """Answer strings reaching every distinct kind of outcome (not all 3^n of them)."""
    check = SymptomCheck(content)
    flags = len(content.triage.red_flags)
    prefixes = {"n" * flags}
    for i in range(flags):
        prefixes.add("n" * i + "y")  # each flag said yes (an emergency/urgent one stops here)
        prefixes.add("n" * i + "u" + "n" * (flags - i - 1))  # each flag "not sure"
    prefixes = {p for p in prefixes if check.step(p).outcome is not None or len(p) == flags}
    for prefix in sorted(prefixes):
        if check.step(prefix).outcome is not None:
            yield prefix
            continue
        frontier = [prefix]
        while frontier:
            answers = frontier.pop()
            step = check.step(answers)
            if step.outcome is not None:
                yield answers
            else:
                yield answers  # the question itself is a response too
                frontier += [answers + a for a in "yn"]


def every_reply(content: Content) -> Iterator[tuple[str, Reply, bool]]:
    """(label, reply, is a routine step) for everything the content can say."""
    for locale, who in itertools.product(content.locales, WHO):
        state = Conversation(who=who)
        d = Dialog(content, locale, state, Profile())
        tag = f"{locale}/{who}"
        yield f"{tag} welcome", d.present("welcome", False), False
        yield f"{tag} welcome back", d.present("welcome", True), False
        for name in ("help", "fallback", "menu", "cause_list", "routine_list",
                     "forget_confirm", "flag_unclear", "how_bad", "nerve_info",
                     "fall_question", "start_check_offer", "reminder_time"):
            yield f"{tag} {name}", d.present(name), False
        for kind in ADVICE:
            yield f"{tag} advice {kind}", d.present("advice", kind), False
        for signal in Signal:
            state.signal = signal
            yield f"{tag} refused {signal.value}", d.present("refused"), False
            yield f"{tag} menu after {signal.value}", d.present("menu"), False
        state.signal = None
        for answers in answer_paths(content):
            state.answers, state.check_open = answers, True
            yield f"{tag} triage {answers!r}", d.present("question"), False
        state.answers, state.check_open = "", False
        for flag in content.triage.red_flags:
            yield f"{tag} red flag {flag.id}", d.present("flag", flag.id), False
        for cause in content.causes.values():
            for chunk in range(len(d.causes._chunks(cause))):
                yield f"{tag} cause {cause.id} #{chunk}", d.present("cause", cause.id, chunk), \
                    False
        for routine in content.routines.values():
            for hold in (HOLD_RANGE[0], None, HOLD_RANGE[1]):
                d.profile.hold_s = hold
                for index in range(len(routine.exercises)):
                    for step in range(len(d.coach.steps(routine, index))):
                        state.mode = Mode.ROUTINE
                        state.place = RoutinePlace(routine.id, index, step)
                        yield (f"{tag} routine {routine.id} hold {hold} #{index}.{step}",
                               d.present("step"), True)
            d.profile.hold_s = None
        state.mode, state.place = Mode.HOME, None


def problems_of(label: str, reply: Reply, is_step: bool) -> list[str]:
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
        if re.search(r"/>\s*<break", text):
            found.append(f"{label}: {part} has two breaks in a row")
    if is_step:
        spoken = re.sub(r"<[^>]+>", " ", ssml)
        audio = sum(breaks_of(ssml)) + speaking_time(spoken)
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
    problems: list[str] = []
    for label, reply, is_step in every_reply(content):
        problems += problems_of(label, reply, is_step)
    return problems
