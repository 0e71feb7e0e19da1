"""The conversation: one method per thing a user can say, each returning a Reply.

Plain Python over the session (a small dict of ids and indexes that Alexa keeps for us) and
the stored profile. "Repeat" works by recipe: every reply that can be repeated is made by a
`_show_*` method, and the session keeps its name and arguments (plain data, never the
response object), so repeating rebuilds the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from typing import Any

from .content import Content
from .profile import Profile
from .reply import Reply
from .speech import Speech
from .voice import Voice

HOME = "home"


class Dialog:
    def __init__(self, content: Content, locale: str | None, session: MutableMapping[str, Any],
                 profile: Profile, *, today: dt.date | None = None, screen: bool = False) -> None:
        self.content = content
        self.session = session
        self.profile = profile
        self.today = today or dt.date.today()
        self.screen = screen  # the device can show APL
        self.voice = Voice(content, locale, session.get("who", "self"))

    # --- state --------------------------------------------------------------------------

    @property
    def state(self) -> str:
        state = self.session.get("st")
        return state if isinstance(state, str) else HOME

    @state.setter
    def state(self, value: str) -> None:
        self.session["st"] = value

    def present(self, name: str, *args: Any, before: Speech | None = None) -> Reply:
        """Say a repeatable thing; `before` is said first this time only (an acknowledgement)."""
        reply: Reply = getattr(self, f"_show_{name}")(*args)
        self.session["last"] = [name, *args]
        if before:
            reply.speech = Speech().extend(before).extend(reply.speech)
        return reply

    def t(self, key: str, **values: Any) -> str:
        return self.voice.text(key, **values)

    # --- every skill ----------------------------------------------------------------------

    def launch(self) -> Reply:
        returning = self.profile.last_visit is not None
        today = self.today.isoformat()
        if self.profile.last_visit != today:  # one write a day at most keeps the item alive
            self.profile.last_visit = today
        self.profile.locale = self.voice.locale_id
        self.state = HOME
        return self.present("welcome", returning)

    def _show_welcome(self, returning: bool) -> Reply:
        speech = Speech()
        if returning:
            speech.say(self.t("welcome_back"), self.t("disclaimer_short"))
        else:
            speech.say(self.t("welcome"), self.t("disclaimer"))
        speech.say(self.t("offer_menu"))
        return Reply.ask(speech, self.t("menu_reprompt"))

    def help(self) -> Reply:
        return self.present("help")

    def _show_help(self) -> Reply:
        return Reply.ask(Speech().say(self.t("help"), self.t("help_reprompt")),
                         self.t("help_reprompt"))

    def stop(self) -> Reply:
        return Reply.tell(Speech().say(self.t("goodbye")))

    def fallback(self) -> Reply:
        return self.present("fallback")

    def _show_fallback(self) -> Reply:
        return Reply.ask(Speech().say(self.t("fallback"), self.t("fallback_reprompt")),
                         self.t("fallback_reprompt"))

    def home(self) -> Reply:
        self.state = HOME
        return self.present("menu", before=Speech().say(self.t("home")))

    def _show_menu(self) -> Reply:
        return Reply.ask(Speech().say(self.t("offer_menu")), self.t("menu_reprompt"))

    def repeat(self) -> Reply:
        last = self.session.get("last")
        if isinstance(last, list) and last and isinstance(last[0], str) \
                and hasattr(self, f"_show_{last[0]}"):
            try:
                return self.present(*last)
            except (TypeError, KeyError, IndexError, ValueError):
                pass  # a recipe from an older version or a tampered session: say so below
        return Reply.ask(Speech().say(self.t("nothing_to_repeat"), self.t("menu_reprompt")),
                         self.t("menu_reprompt"))

    def error(self) -> Reply:
        return Reply.ask(Speech().say(self.t("error"), self.t("error_reprompt")),
                         self.t("error_reprompt"))

    def yes(self) -> Reply:
        return self.fallback()

    def no(self) -> Reply:
        return self.fallback()

    # --- who is being helped ------------------------------------------------------------

    def caregiver(self, who: str | None) -> Reply:
        self.session["who"] = who if who in ("she", "he", "they") else "they"
        self.voice = Voice(self.content, self.voice.locale_id, self.session["who"])
        return self.present("menu", before=Speech().say(self.t("caregiver_on")))

    def for_self(self) -> Reply:
        self.session["who"] = "self"
        self.voice = Voice(self.content, self.voice.locale_id, "self")
        return self.present("menu", before=Speech().say(self.t("caregiver_off")))
