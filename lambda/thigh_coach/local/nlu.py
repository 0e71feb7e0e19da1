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
- A typed line is normalised as speech recognition would deliver it: lower case; no punctuation
  but apostrophes inside words; "&" read as "and"; "OK" as "okay"; digits read as words (a
  number of three or more digits digit by digit, "999" as "nine nine nine", others as number
  words, "45" as "forty five", "7:30" as "seven thirty"); an acronym the model spells out
  letter by letter ("M. R. I.", "D. V. T.") also matches when typed as one word ("MRI",
  "dvt"), unless that word is also a word of the model.
- Otherwise a line matches only a sample utterance of the model with each slot filled by one
  of its slot type's values or synonyms, word for word. Alexa generalises beyond the samples
  (near phrasings, reordered or extra words); this matcher does not, so it understands less
  than a device, with one exception: when no sample matches word for word, a sample whose
  carrier words match still matches with a custom slot filled by up to six other words, and
  that slot gets no resolved id (Alexa sends ER_SUCCESS_NO_MATCH for a custom slot value
  outside its list). Samples made only of slots (red flags, sides said alone) never match
  that way.
- AMAZON.NUMBER takes a number from zero to ninety nine; AMAZON.TIME takes "seven", "seven
  thirty", "seven pm", "half past seven", "quarter to eight", "seven in the evening", "noon"
  and "midnight", resolved to HH:MM (a bare hour is taken as said, not moved to the next one).
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
        # samples with slots, by their first word ("" when a slot comes first)
        self.by_first: dict[str, list[tuple[list[str], Sample]]] = {}
        self.letters: dict[str, str] = {}  # "mri" -> "m r i": acronyms the model spells out
        for intent in language["intents"]:
            types = {s["name"]: s["type"] for s in intent.get("slots", [])}
            for raw in intent.get("samples", []):
                text = " ".join(normalize(p) if not _SLOT.fullmatch(p) else p
                                for p in re.split(r"(\{\w+\})", raw) if p.strip())
                sample = Sample(intent["name"], text, types)
                self.patterns.append(sample)
                tokens = text.split()
                if not sample.slots:
                    self.exact.setdefault(text, sample.intent)
                else:
                    first = "" if _SLOT.fullmatch(tokens[0]) else tokens[0]
                    self.by_first.setdefault(first, []).append((tokens, sample))
        phrases = [*self.exact, *(p for t in self.values.values() for p in t),
                   *(" ".join(t) for ts in self.by_first.values() for t, _ in ts)]
        vocabulary = {w for p in phrases for w in p.split()}
        for phrase in phrases:
            for spelled in re.findall(r"\b[a-z](?: [a-z]\b)+", phrase):
                joined = spelled.replace(" ", "")
                if joined not in vocabulary:  # "mri" -> "m r i", but never a real word
                    self.letters.setdefault(joined, spelled)

    @classmethod
    def for_locale(cls, model_dir: Path, locale: str) -> Matcher:
        return cls(json.loads((model_dir / f"{locale}.json").read_text(encoding="utf-8")))

    def _fits(self, slot_type: str, words: list[str], wildcard: bool) -> bool:
        heard = " ".join(words)
        if slot_type == "AMAZON.NUMBER":
            return re.fullmatch(_NUMBER_RE, heard) is not None
        if slot_type == "AMAZON.TIME":
            return re.fullmatch(_TIME_RE, heard) is not None
        return heard in self.values.get(slot_type, {}) or (wildcard and len(words) <= 6)

    def _bind(self, tokens: list[str], words: list[str], sample: Sample, wildcard: bool,
              found: dict[str, str]) -> dict[str, str] | None:
        """The slot values that make the sample's tokens say these words, or None."""
        if not tokens:
            return found if not words else None
        slot = _SLOT.fullmatch(tokens[0])
        if not slot:
            if words and words[0] == tokens[0]:
                return self._bind(tokens[1:], words[1:], sample, wildcard, found)
            return None
        name = slot.group(1)
        slot_type = sample.slot_types.get(name, "")
        custom_wild = wildcard and not slot_type.startswith("AMAZON.")
        for end in range(len(words), 0, -1):  # longest slot value first
            if self._fits(slot_type, words[:end], custom_wild):
                bound = self._bind(tokens[1:], words[end:], sample, wildcard,
                                   {**found, name: " ".join(words[:end])})
                if bound is not None:
                    return bound
        return None

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

    def match(self, line: str, wildcard: bool = True) -> Match:
        """wildcard=False: word for word only (no custom slot filled by other words)."""
        words = [self.letters.get(w, w) for w in normalize(line).split()]
        text = " ".join(words)
        if text in self.exact:
            return Match(self.exact[text])
        words = text.split()
        candidates = [*self.by_first.get(words[0] if words else "", ()), *self.by_first.get("", ())]
        # word for word first; then a custom slot filled by words outside its values
        for wild in (False, True) if wildcard else (False,):
            best: tuple[int, Match] | None = None
            for tokens, sample in candidates:
                if wild and not sample.literal:
                    continue  # a slot said alone would swallow every line
                found = self._bind(tokens, words, sample, wild, {})
                if found is not None and (best is None or sample.literal > best[0]):
                    best = (sample.literal, Match(sample.intent, self._slots(sample, found)))
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
