"""What the domain answers: speech, and either the one question it asks or the end."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .speech import Speech

if TYPE_CHECKING:
    from .state import About, AskName


class Reply:
    # A plain class, not a dataclass: the decorator costs a millisecond of every cold start.
    __slots__ = ("speech", "reprompt", "end", "asks", "about", "card", "screen", "consent",
                 "unsaved")

    def __init__(self, speech: Speech, reprompt: Speech | None = None, end: bool = False,
                 asks: AskName | None = None, about: About = None,
                 card: tuple[str, str] | None = None, screen: dict[str, Any] | None = None,
                 consent: list[str] | None = None) -> None:
        self.speech = speech
        self.reprompt = reprompt  # the question again, short: set whenever the skill listens
        self.end = end
        self.asks = asks  # one of Ask: the question this reply asks (None: it ends)
        self.about = about  # what the question is about (state.About)
        self.card = card  # (title, text)
        self.screen = screen  # what a device with a screen shows
        self.consent = consent or []  # permissions to ask for with a card
        # what to say instead when the speech claims something saved and the save failed
        self.unsaved: Speech | None = None

    @classmethod
    def ask(cls, speech: Speech, reprompt: str, asks: AskName, about: About = None,
            **kw: Any) -> Reply:
        """Keep listening: `speech` ends with the question, `reprompt` asks it again."""
        return cls(speech, Speech().say(reprompt), asks=asks, about=about, **kw)

    @classmethod
    def tell(cls, speech: Speech, **kw: Any) -> Reply:
        return cls(speech, None, end=True, **kw)
