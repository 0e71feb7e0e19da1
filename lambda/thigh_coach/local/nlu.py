"""A typed line -> an intent and slots, using only a locale's interaction model.

What matches here is what the model's samples and slot values say, so a phrase that works in
the terminal works on a device. `normalize` does only what Alexa's speech recognition does to
a spoken line (see APPROXIMATIONS). A line whose carrier words match a sample but whose slot
words are not a value of the slot type gets the slot with no resolution (Alexa sends
ER_SUCCESS_NO_MATCH for a custom slot value outside its list); anything else is
AMAZON.FallbackIntent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

# Written for the README: where this matcher differs from Alexa's recognition on a device.
APPROXIMATIONS = """\
- Text is normalised as speech recognition delivers it: lower case, no punctuation except
  apostrophes inside words, "&" read as "and", a capitalised acronym read as its letters
  ("MRI" as "m r i", "A&E" as "a and e"; "OK" as "okay"), and digits read as words (a number
  of three or more digits digit by digit, "999" as "nine nine nine"; others as number words,
  "45" as "forty five", "7:30" as "seven thirty").
- Otherwise a line matches only a sample utterance of the model, with a slot filled by one of
  its slot type's values or synonyms, word for word. Alexa's own recognition generalises
  beyond the samples (near phrasings, reordered words, fillers); this matcher does not, so it
  understands less than a device does, never more, with two exceptions:
- A custom slot filled by words that are not among its values (up to six words) still matches
  its sample, with no resolved id, and only when no sample matches word for word; Alexa does
  the same for a custom slot type, which is not an enumeration.
- AMAZON.NUMBER takes a number from zero to ninety nine in words or digits; AMAZON.TIME takes
  "seven", "seven thirty", "seven pm", "half past seven", "seven in the evening", "noon" and
  "midnight", and resolves them to HH:MM as Alexa does (a bare hour is taken as given, not
  resolved to the next one).
"""

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
          "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_NUMBERS = {w: i for i, w in enumerate(_UNITS)}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_TENS_BY_VALUE = {v: k for k, v in _TENS.items()}
_UNIT_RE = "|".join(_UNITS[1:10])
_NUMBER_RE = (rf"(?:(?:{'|'.join(_TENS)})(?: (?:{_UNIT_RE}))?|{'|'.join(_UNITS)})")
_HOUR_RE = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_AMPM = r"(?:am|pm|a m|p m|in the morning|in the afternoon|in the evening|at night|tonight)"
_HOUR24_RE = rf"(?:twenty(?: (?:one|two|three))?|{'|'.join(_UNITS)})"
_TIME_RE = (rf"(?:(?:half past|quarter past|quarter to) {_HOUR_RE}(?: {_AMPM})?"
            rf"|{_HOUR24_RE}(?: (?:o'clock|oh {_NUMBER_RE}|{_NUMBER_RE}))?(?: {_AMPM})?"
            r"|noon|midday|midnight)")
_WILD = r"[a-z0-9']+(?: [a-z0-9']+){0,5}"
_SLOT = re.compile(r"\{(\w+)\}")


def _spell(number: str) -> str:
    """Digits as a speech recogniser's words: "999" digit by digit, "45" as "forty five"."""
    if len(number) >= 3:
        return " ".join(_UNITS[int(d)] for d in number)
    value = int(number)
    if value < 20:
        return _UNITS[value]
    tens, unit = divmod(value, 10)
    return _TENS_BY_VALUE[tens * 10] + (f" {_UNITS[unit]}" if unit else "")


def normalize(text: str) -> str:
    text = text.replace("\u2019", "'").replace("&", " and ")
    text = re.sub(r"\bOK\b", "okay", text)
    # an acronym in capitals is spoken as its letters ("MRI", "ER", "DVT")
    text = re.sub(r"\b[A-Z]{2,4}\b", lambda m: " ".join(m.group(0)), text)
    text = re.sub(r"\d+", lambda m: f" {_spell(m.group(0))} ", text.lower())
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    text = re.sub(r"(?<![a-z])'|'(?![a-z])", " ", text)  # quotes, not apostrophes
    return " ".join(text.split())


def number_value(text: str) -> int | None:
    words = normalize(text).split()
    if len(words) == 1 and words[0] in _NUMBERS:
        return _NUMBERS[words[0]]
    if words and words[0] in _TENS and len(words) <= 2:
        rest = _NUMBERS.get(words[1], -1) if len(words) > 1 else 0
        return _TENS[words[0]] + rest if 0 <= rest < 10 else None
    return None


def time_value(text: str) -> str | None:
    """A spoken time as Alexa's AMAZON.TIME gives it: HH:MM."""
    text = normalize(text)
    if text in ("noon", "midday"):
        return "12:00"
    if text == "midnight":
        return "00:00"
    evening = re.search(r"\b(pm|p m|afternoon|evening|night|tonight)\b", text) is not None
    morning = re.search(r"\b(am|a m|morning)\b", text) is not None
    text = re.sub(rf"\b{_AMPM}\b|o'clock", "", text).strip()
    minute = 0
    offset = re.match(r"(half past|quarter past|quarter to) (.+)", text)
    if offset:
        minute = {"half past": 30, "quarter past": 15, "quarter to": -15}[offset.group(1)]
        text = offset.group(2)
    words = text.replace(" oh ", " ").split()
    hour = number_value(words[0]) if words else None
    if len(words) > 1 and not offset:
        minute = number_value(" ".join(words[1:])) or 0
    if hour is None or hour > 23 or minute > 59:
        return None
    if minute < 0:
        hour, minute = (hour - 1) % 24, 60 + minute
    if evening and hour < 12:
        hour += 12
    if morning and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


@dataclass
class Match:
    intent: str
    slots: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name -> (heard, id)


@dataclass(frozen=True)
class Sample:
    """One sample utterance, normalised, and what its slots are."""

    intent: str
    text: str
    slot_types: dict[str, str] = field(hash=False, compare=False)

    @property
    def slots(self) -> list[str]:
        return _SLOT.findall(self.text)

    @property
    def literal(self) -> int:
        return len(_SLOT.sub("", self.text).replace(" ", ""))


class Matcher:
    def __init__(self, model: dict) -> None:
        language = model["interactionModel"]["languageModel"]
        self.invocation = normalize(language["invocationName"])
        self.values: dict[str, dict[str, str]] = {}  # type -> normalised phrase -> id
        for slot_type in language.get("types", []):
            table: dict[str, str] = {}
            for value in slot_type["values"]:
                for name in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                    table.setdefault(normalize(name), value.get("id") or value["name"]["value"])
            self.values[slot_type["name"]] = table
        self.patterns: list[Sample] = []  # every sample (the chat reads an intent's slot types)
        self.exact: dict[str, str] = {}  # a sample without slots -> its intent
        # a sample with one custom slot, by the words before the slot -> (words after, sample)
        self.by_prefix: dict[str, list[tuple[str, Sample]]] = {}
        self.regexes: list[tuple[re.Pattern[str], Sample]] = []  # numbers and times
        self.wildcards: list[tuple[re.Pattern[str], Sample]] = []
        for intent in language["intents"]:
            types = {s["name"]: s["type"] for s in intent.get("slots", [])}
            for raw in intent.get("samples", []):
                text = _SLOT.sub(lambda m: f" {{{m.group(1)}}} ", raw)
                text = " ".join(normalize(p) if not _SLOT.fullmatch(p) else p
                                for p in re.split(r"(\{\w+\})", text) if p.strip())
                sample = Sample(intent["name"], text, types)
                self.patterns.append(sample)
                self._index(sample)

    def _index(self, sample: Sample) -> None:
        slots = sample.slots
        if not slots:
            self.exact.setdefault(sample.text, sample.intent)
            return
        builtin = any(sample.slot_types.get(s, "").startswith("AMAZON.") for s in slots)
        if len(slots) == 1 and not builtin:
            before, after = (p.strip() for p in sample.text.split(f"{{{slots[0]}}}"))
            self.by_prefix.setdefault(before, []).append((after, sample))
        else:
            self.regexes.append((self._compile(sample, wildcard=False), sample))
        if sample.literal and not all(sample.slot_types.get(s, "").startswith("AMAZON.")
                                      for s in slots):
            self.wildcards.append((self._compile(sample, wildcard=True), sample))

    def _compile(self, sample: Sample, wildcard: bool) -> re.Pattern[str]:
        def slot(m: re.Match[str]) -> str:
            name = m.group(1)
            slot_type = sample.slot_types.get(name, "")
            if slot_type == "AMAZON.NUMBER":
                body = _NUMBER_RE
            elif slot_type == "AMAZON.TIME":
                body = _TIME_RE
            elif wildcard:
                body = _WILD
            else:
                phrases = sorted(self.values.get(slot_type, {}), key=len, reverse=True)
                body = "|".join(re.escape(p) for p in phrases) or r"(?!)"
            return f"(?P<{name}>{body})"

        parts = re.split(r"(\{\w+\})", sample.text)
        regex = "".join(_SLOT.sub(slot, p) if _SLOT.fullmatch(p) else re.escape(p) for p in parts)
        return re.compile(rf"^{regex}$")

    @classmethod
    def for_locale(cls, model_dir: Path, locale: str) -> Matcher:
        return cls(json.loads((model_dir / f"{locale}.json").read_text(encoding="utf-8")))

    def _slots(self, sample: Sample, found: dict[str, str]) -> dict[str, tuple[str, str | None]]:
        slots: dict[str, tuple[str, str | None]] = {}
        for name, heard in found.items():
            slot_type = sample.slot_types.get(name, "")
            if slot_type == "AMAZON.NUMBER":
                slots[name] = (str(number_value(heard)), None)
            elif slot_type == "AMAZON.TIME":
                slots[name] = (time_value(heard) or heard, None)
            else:
                slots[name] = (heard, self.values.get(slot_type, {}).get(heard))
        return slots

    def match(self, line: str) -> Match:
        text = normalize(line)
        if text in self.exact:
            return Match(self.exact[text])
        best: tuple[int, Match] | None = None
        words = text.split()
        for i in range(len(words)):  # the words before the slot, then the slot and the rest
            before, rest = " ".join(words[:i]), words[i:]
            for after, sample in self.by_prefix.get(before, ()):
                tail = after.split()
                if len(rest) <= len(tail) or (tail and rest[-len(tail):] != tail):
                    continue
                heard = " ".join(rest[:len(rest) - len(tail)])
                name, slot_type = sample.slots[0], sample.slot_types[sample.slots[0]]
                if heard in self.values.get(slot_type, {}) and (
                        best is None or sample.literal > best[0]):
                    best = (sample.literal, Match(sample.intent, self._slots(sample, {name: heard})))
        if best:
            return best[1]
        for tier in (self.regexes, self.wildcards):
            for regex, sample in tier:
                found = regex.match(text)
                if found and (best is None or sample.literal > best[0]):
                    slots = {k: v for k, v in found.groupdict().items() if v is not None}
                    best = (sample.literal, Match(sample.intent, self._slots(sample, slots)))
            if best:
                return best[1]
        return Match("AMAZON.FallbackIntent")

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
