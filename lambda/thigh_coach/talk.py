"""What every part of the conversation shares during one request, declared in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from .content import Content, Wording
from .profile import Profile
from .reply import Reply
from .speech import Speech
from .state import Conversation
from .voice import Voice

Show = Callable[..., Reply]
LIST_ITEMS = 3  # a list read aloud names at most three, then offers more


def list_page(names: Sequence[str], page: int) -> tuple[list[str], int, bool]:
    """The names to read on this page (wrapping round past the end), the page it is, and
    whether there are more to offer."""
    pages = pages_of(names)
    page %= pages
    return list(names[page * LIST_ITEMS:(page + 1) * LIST_ITEMS]), page, pages > 1


def join_names(names: Sequence[str]) -> str:
    """"a, b and c": names read aloud."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def pages_of(names: Sequence[str]) -> int:
    return max(1, -(-len(names) // LIST_ITEMS))


def join_or(names: Sequence[str]) -> str:
    """"a, b, or c": a choice read aloud."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + (", or " if len(names) > 2 else " or ") + names[-1]


def _no_reminder(hhmm: str, text: str) -> str:
    return "failed"


class Ports:
    """The platform's services, so the conversation stays plain Python."""

    __slots__ = ("forget_store", "set_reminder")

    def __init__(self, forget_store: Callable[[], bool] = lambda: True,
                 set_reminder: Callable[[str, str], str] = _no_reminder) -> None:
        self.forget_store = forget_store  # deletes the stored profile; False: it failed
        # ("HH:MM", what the reminder says) -> "set" | "permission" | "failed"
        self.set_reminder = set_reminder


class Turn:
    # Plain classes, not dataclasses: the decorator costs about a millisecond each of every
    # cold start (python -X importtime).
    __slots__ = ("content", "locale", "state", "profile", "today", "screen", "new_session",
                 "read_aloud", "ports", "shows")

    def __init__(self, content: Content, locale: str | None, state: Conversation,
                 profile: Profile, *, today: dt.date | None = None, screen: bool = False,
                 new_session: bool = False, read_aloud: bool = False,
                 ports: Ports | None = None) -> None:
        self.content = content
        self.locale = locale
        self.state = state
        self.profile = profile
        self.today = today or dt.date.today()
        self.screen = screen  # the device can show APL
        self.new_session = new_session  # the first request of a session (launch or one-shot)
        # The publish mode that asks nothing about the user's health (SYMPTOM_CHECK=read-aloud):
        # the warning signs are read out, and no yes/no question is about the body.
        self.read_aloud = read_aloud
        self.ports = ports or Ports()
        # Repeatable replies by name: "repeat" rebuilds the last one from its recipe (plain
        # data in the session), never from a cached response. Filled in by the Dialog.
        self.shows: dict[str, Show] = {}

    @property
    def voice(self) -> Voice:
        return Voice(self.content, self.locale, self.state.who)

    def t(self, key: str, **values: Any) -> str:
        """A text for this user. After a warning sign, its `_safe` wording if it has one (menus,
        help and goodbyes that offer no stretch); in read-aloud mode, then, its `_read_aloud`
        wording if it has one."""
        texts = self.content.texts
        if not self.state.safe_for_routine and f"{key}_safe" in texts:
            key = f"{key}_safe"
        if self.read_aloud and f"{key}_read_aloud" in texts:
            key = f"{key}_read_aloud"
        return self.voice.text(key, **values)

    def words(self, wording: Wording, **values: Any) -> str:
        return self.voice.words(wording, **values)

    def present(self, name: str, *args: str | int, before: Speech | None = None) -> Reply:
        """Say a repeatable thing; `before` is said first this time only (an acknowledgement)."""
        reply = self.shows[name](*args)
        self.state.recipe = (name, *args)
        if before:
            reply.speech = Speech().extend(before).extend(reply.speech)
        return reply

    def close(self, speech: Speech) -> Reply:
        """End with the open question of the moment: back to an interrupted check or routine,
        else what the user would like (`what_next`, the Dialog's)."""
        question = self.shows["what_next"]()
        question.speech = speech.extend(question.speech)
        return question
