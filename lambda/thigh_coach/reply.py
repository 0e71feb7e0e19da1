"""What the domain answers: speech, and either the one question it asks or the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .speech import Speech
from .state import Ask


@dataclass
class Reply:
    speech: Speech
    reprompt: Speech | None = None  # the question again, short: set whenever the skill listens
    end: bool = False
    asks: Ask | None = None  # the one question this reply asks (None only when it ends)
    about: str | None = None  # what the question is about: a cause, routine or topic id
    card: tuple[str, str] | None = None  # (title, text)
    screen: dict[str, Any] | None = None  # what a device with a screen shows
    consent: list[str] = field(default_factory=list)  # permissions to ask for with a card

    @classmethod
    def ask(cls, speech: Speech, reprompt: str, asks: Ask, about: str | None = None,
            **kw: Any) -> Reply:
        """Keep listening: `speech` ends with the question, `reprompt` asks it again."""
        return cls(speech, Speech().say(reprompt), asks=asks, about=about, **kw)

    @classmethod
    def tell(cls, speech: Speech, **kw: Any) -> Reply:
        return cls(speech, None, end=True, **kw)
