"""What the domain answers: speech, a reprompt, and whether the session goes on."""

from __future__ import annotations

from .speech import Speech


class Reply:
    __slots__ = ("speech", "reprompt", "end", "card", "screen", "consent")

    def __init__(self, speech: Speech, reprompt: Speech | None = None, end: bool = False,
                 card: tuple[str, str] | None = None, screen: dict | None = None,
                 consent: list[str] | None = None) -> None:
        self.speech = speech
        self.reprompt = reprompt  # set whenever the skill keeps listening
        self.end = end
        self.card = card  # (title, text)
        self.screen = screen  # what a device with a screen shows (the current exercise)
        self.consent = consent or []  # permissions to ask for with a card

    @classmethod
    def ask(cls, speech: Speech, reprompt: str, **kw) -> Reply:
        return cls(speech, Speech().say(reprompt), **kw)

    @classmethod
    def tell(cls, speech: Speech, **kw) -> Reply:
        return cls(speech, None, end=True, **kw)
