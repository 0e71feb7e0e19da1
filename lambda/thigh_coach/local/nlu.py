"""A typed line -> an intent and slots, using only a locale's interaction model.

What matches here is what the model's samples and slot values say, so a phrase that works in
the terminal works on a device. A line whose carrier words match but whose slot value is not
in the model gets the slot with no resolution (as Alexa sends ER_SUCCESS_NO_MATCH); anything
else is AMAZON.FallbackIntent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen twenty".split())}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_NUMBER_RE = r"\d+|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?: (?:one|two|three|four|five|six|seven|eight|nine))?)|(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"  # noqa: E501
_TIME_RE = (rf"(?:{_NUMBER_RE})(?:[: ](?:{_NUMBER_RE}|o'clock|oclock))?"
            r"(?: ?(?:am|pm|a m|p m|in the morning|in the evening|at night))?|noon|midday")


def normalize(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"[^a-z0-9': ]+", " ", text)
    return " ".join(text.split())


def number_value(text: str) -> int | None:
    text = normalize(text)
    if text.isdigit():
        return int(text)
    words = text.split()
    if len(words) == 1 and words[0] in _NUMBERS:
        return _NUMBERS[words[0]]
    if words and words[0] in _TENS:
        rest = _NUMBERS.get(words[1], 0) if len(words) > 1 else 0
        return _TENS[words[0]] + rest
    return None


def time_value(text: str) -> str | None:
    """A spoken time as Alexa's AMAZON.TIME gives it: HH:MM."""
    text = normalize(text).replace("o'clock", "").replace("oclock", "").strip()
    if text in ("noon", "midday"):
        return "12:00"
    evening = any(w in text for w in ("pm", "p m", "evening", "night"))
    morning = any(w in text for w in ("am", "a m", "morning"))
    text = re.sub(r"\b(pm|am|p m|a m|in the evening|in the morning|at night)\b", "", text)
    parts = [p for p in re.split(r"[: ]", text.strip()) if p]
    hour = number_value(parts[0]) if parts else None
    minute = number_value(" ".join(parts[1:])) if len(parts) > 1 else 0
    if hour is None or minute is None or hour > 23 or minute > 59:
        return None
    if evening and hour < 12:
        hour += 12
    if morning and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


@dataclass
class Match:
    intent: str
    slots: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name -> (heard, id)


@dataclass
class _Pattern:
    intent: str
    regex: re.Pattern
    slot_types: dict[str, str]
    literal: int  # characters of literal text: more is more specific
    wildcard: bool


class Matcher:
    def __init__(self, model: dict) -> None:
        language = model["interactionModel"]["languageModel"]
        self.invocation = normalize(language["invocationName"])
        self.values: dict[str, dict[str, str]] = {}  # type -> normalized phrase -> id
        for slot_type in language.get("types", []):
            table = {}
            for value in slot_type["values"]:
                names = [value["name"]["value"], *value["name"].get("synonyms", [])]
                for name in names:
                    table.setdefault(normalize(name), value.get("id") or value["name"]["value"])
            self.values[slot_type["name"]] = table
        self.patterns: list[_Pattern] = []
        for intent in language["intents"]:
            types = {s["name"]: s["type"] for s in intent.get("slots", [])}
            for sample in intent.get("samples", []):
                for wildcard in (False, True):
                    pattern = self._compile(intent["name"], sample, types, wildcard)
                    if pattern:
                        self.patterns.append(pattern)

    @classmethod
    def for_locale(cls, model_dir: Path, locale: str) -> Matcher:
        return cls(json.loads((model_dir / f"{locale}.json").read_text(encoding="utf-8")))

    def _compile(self, intent: str, sample: str, types: dict[str, str],
                 wildcard: bool) -> _Pattern | None:
        parts = re.split(r"(\{\w+\})", sample)
        regex, literal, has_slot = "", 0, False
        for part in parts:
            slot = re.fullmatch(r"\{(\w+)\}", part)
            if slot:
                name = slot.group(1)
                has_slot = True
                regex += f"(?P<{name}>{self._slot_regex(types.get(name, ''), wildcard)})"
            else:
                text = normalize(part)
                if text:
                    regex += (" " if regex and not regex.endswith(" ") else "") + re.escape(text)
                    regex += " " if part.endswith(" ") else ""
                    literal += len(text)
        if wildcard and (not has_slot or literal == 0):
            return None  # a bare slot would swallow every line
        regex = re.sub(r" +", " ", regex).strip()
        return _Pattern(intent, re.compile(rf"^{regex}$"), types, literal, wildcard)

    def _slot_regex(self, slot_type: str, wildcard: bool) -> str:
        if slot_type == "AMAZON.NUMBER":
            return _NUMBER_RE
        if slot_type == "AMAZON.TIME":
            return _TIME_RE
        if wildcard:
            return r"[a-z0-9']+(?: [a-z0-9']+){0,5}"
        phrases = sorted(self.values.get(slot_type, {}), key=len, reverse=True)
        return "|".join(re.escape(p) for p in phrases) or r"(?!)"

    def match(self, line: str) -> Match:
        text = normalize(line)
        best: tuple[tuple, Match] | None = None
        for pattern in self.patterns:
            found = pattern.regex.match(text)
            if not found:
                continue
            slots = {}
            for name, heard in found.groupdict().items():
                if heard is None:
                    continue
                slot_type = pattern.slot_types.get(name, "")
                if slot_type == "AMAZON.NUMBER":
                    slots[name] = (str(number_value(heard)), None)
                elif slot_type == "AMAZON.TIME":
                    slots[name] = (time_value(heard) or heard, None)
                else:
                    slots[name] = (heard, self.values.get(slot_type, {}).get(heard))
            rank = (not pattern.wildcard, pattern.literal)
            if best is None or rank > best[0]:
                best = (rank, Match(pattern.intent, slots))
        return best[1] if best else Match("AMAZON.FallbackIntent")

    def launch_phrase(self, line: str) -> tuple[bool, str | None]:
        """("open thigh pain coach") -> (True, None); ("ask thigh pain coach to X") -> (True, X)."""
        text = normalize(line)
        inv = re.escape(self.invocation)
        if re.fullmatch(rf"(?:alexa )?(?:open|launch|start|talk to|begin) {inv}", text):
            return True, None
        one_shot = re.fullmatch(rf"(?:alexa )?(?:ask|tell|use|open) {inv}(?: to| for| about)? (.+)",
                                text)
        if one_shot:
            return True, one_shot.group(1)
        return False, None
