"""What the domain answers: speech, a reprompt, and whether the session goes on."""

from __future__ import annotations

from dataclasses import dataclass, field

from .speech import Speech


@dataclass
class Reply:
    speech: Speech
    reprompt: Speech | None = None  # set whenever the skill keeps listening
    end: bool = False
    card: tuple[str, str] | None = None  # (title, text)
    screen: dict | None = None  # what a device with a screen shows (the current exercise)
    consent: list[str] = field(default_factory=list)  # permissions to ask for with a card

    @classmethod
    def ask(cls, speech: Speech, reprompt: str, **kw) -> Reply:
        return cls(speech, Speech().say(reprompt), **kw)

    @classmethod
    def tell(cls, speech: Speech, **kw) -> Reply:
        return cls(speech, None, end=True, **kw)
