"""Speech: the only place SSML is written.

Text is always escaped; a pause is a `<break>` of at most 10 s (Alexa's limit). A longer
silence is a chain of breaks with something spoken between each pair, because a speech
engine may merge back-to-back breaks (espeak-ng renders two 10 s breaks as 10 s).
"""

from __future__ import annotations

import re

MAX_BREAK_S = 10.0
MAX_SSML_CHARS = 8000
MAX_AUDIO_TAGS = 5  # Alexa plays at most five audio clips in one response
# Written out rather than xml.sax.saxutils.escape, which imports urllib.request, ssl and http
# (about 20 ms of every cold start) for five replacements.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})


def escape(text: str) -> str:
    return text.translate(_ESCAPES)


class SpeechTooLong(ValueError):
    """The SSML would be over Alexa's 8,000 characters, or its five audio clips."""


class Speech:
    """Builds one `<speak>` document from text, pauses and sound clips."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._last_is_break = False

    def say(self, *texts: str) -> Speech:
        for text in texts:
            text = " ".join(text.split())
            if text:
                self._parts.append(escape(text))
                self._last_is_break = False
        return self

    def pause(self, seconds: float, spacer: str | None = None) -> Speech:
        """Silence; over 10 s it is chained, with `spacer` spoken between the breaks."""
        if seconds <= 0:
            return self
        if seconds > MAX_BREAK_S and spacer is None:
            raise ValueError(f"a {seconds:g} s pause needs a spoken spacer between its breaks")
        while seconds > MAX_BREAK_S:
            self._break(MAX_BREAK_S)
            self.say(spacer or "")
            seconds -= MAX_BREAK_S
        self._break(seconds)
        return self

    def audio(self, src: str) -> Speech:
        """A clip from the Alexa Skills Kit sound library (a `soundbank://` address)."""
        if not src.startswith("soundbank://"):
            raise ValueError(f"not a sound library clip: {src!r}")
        self._parts.append(f'<audio src="{escape(src)}"/>')
        self._last_is_break = False  # a sound between two breaks keeps them apart
        return self

    def _break(self, seconds: float) -> None:
        if self._last_is_break:  # never two breaks back to back: an engine may merge them
            raise ValueError("two breaks in a row; say something between them")
        self._parts.append(f'<break time="{round(seconds * 1000)}ms"/>')
        self._last_is_break = True

    def extend(self, other: Speech) -> Speech:
        for part in other._parts:
            if part.startswith("<break") and self._last_is_break:
                raise ValueError("two breaks in a row; say something between them")
            self._parts.append(part)
            self._last_is_break = part.startswith("<break")
        return self

    def __bool__(self) -> bool:
        return bool(self._parts)

    def ssml(self) -> str:
        doc = "<speak>" + " ".join(self._parts) + "</speak>"
        if len(doc) > MAX_SSML_CHARS:
            raise SpeechTooLong(f"speech is {len(doc)} characters, over {MAX_SSML_CHARS}")
        clips = sum(part.startswith("<audio") for part in self._parts)
        if clips > MAX_AUDIO_TAGS:
            raise SpeechTooLong(f"speech plays {clips} sound clips, over {MAX_AUDIO_TAGS}")
        return doc


def speak(*texts: str) -> str:
    return Speech().say(*texts).ssml()


def breaks_of(ssml: str) -> list[float]:
    """Every break's length in seconds, in order."""
    out = []
    for value, unit in re.findall(r'<break time="([\d.]+)(ms|s)"\s*/>', ssml):
        out.append(float(value) / (1000 if unit == "ms" else 1))
    return out


def to_text(ssml: str) -> str:
    """SSML as a person hears it, pauses shown as `[pause 10 s]`, a sound clip as
    `[chime]`."""
    import xml.etree.ElementTree as ET  # only the local tools and tests render speech

    root = ET.fromstring(ssml)
    words: list[str] = []

    def walk(node) -> None:
        if node.tag == "break":
            seconds = breaks_of(ET.tostring(node, encoding="unicode"))
            if seconds:
                words.append(f"[pause {seconds[0]:g} s]")
        elif node.tag == "audio":
            words.append("[chime]")
        elif node.text:
            words.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                words.append(child.tail)

    walk(root)
    return re.sub(r"\s+", " ", " ".join(words)).strip()
