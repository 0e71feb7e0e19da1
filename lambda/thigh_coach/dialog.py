"""The conversation: one method per thing a user can say, each returning a Reply.

Plain Python over the session (a small dict of ids and indexes that Alexa keeps for us) and
the stored profile. "Repeat" works by recipe: every reply that can be repeated is made by a
`_show_*` method, and the session keeps its name and arguments (plain data, never the
response object), so repeating rebuilds the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, MutableMapping
from typing import Any

from .cause_talk import CauseTalk
from .content import Content
from .profile import Profile
from .reply import Reply
from .routine_talk import PAUSED, ROUTINE, RoutineTalk
from .speech import Speech
from .symptom_talk import TRIAGE, SymptomTalk
from .voice import Voice

HOME = "home"
REMINDERS = "alexa::alerts:reminders:skill:readwrite"


class Dialog(SymptomTalk, CauseTalk, RoutineTalk):
    def __init__(self, content: Content, locale: str | None, session: MutableMapping[str, Any],
                 profile: Profile, *, today: dt.date | None = None, screen: bool = False,
                 forget_store: Callable[[], bool] = lambda: True,
                 set_reminder: Callable[[str, str], str] = lambda hhmm, text: "failed") -> None:
        self.content = content
        self.session = session
        self.profile = profile
        self.today = today or dt.date.today()
        self.screen = screen  # the device can show APL
        self.voice = Voice(content, locale, session.get("who", "self"))
        # Ports to the platform, so the conversation stays plain Python:
        self._forget_store = forget_store  # deletes the stored profile; False if it failed
        # ("HH:MM", what the reminder says) -> "set" | "permission" | "failed"
        self._set_reminder = set_reminder

    # --- state --------------------------------------------------------------------------

    @property
    def state(self) -> str:
        state = self.session.get("st")
        return state if isinstance(state, str) else HOME

    @state.setter
    def state(self, value: str) -> None:
        self.session["st"] = value

    def present(self, name: str, *args: Any, before: Speech | None = None) -> Reply:
        """Say a repeatable thing; `before` is said first this time only (an acknowledgement).

        Whatever was on offer ("would you like to...?") lapses unless this makes a new offer.
        """
        self.session.pop("offer", None)
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
        if self._saved_place():
            resume = self._show_resume_offer()
            return Reply(speech.extend(resume.speech), resume.reprompt)
        speech.say(self.t("offer_menu"))
        return Reply.ask(speech, self.t("menu_reprompt"))

    def _saved_place(self) -> bool:
        place, routine = self.profile.place, self.profile.routine
        return bool(place) and routine in self.content.routines \
            and self._place_valid(routine, place)

    def help(self) -> Reply:
        if self.state == TRIAGE:
            return self.triage_help()
        if self.in_routine():
            return Reply.ask(Speech().say(self.t("routine_help")), self.t("continue_reprompt"))
        return self.present("help")

    def _show_help(self) -> Reply:
        return Reply.ask(Speech().say(self.t("help"), self.t("help_reprompt")),
                         self.t("help_reprompt"))

    def stop(self) -> Reply:
        if self.in_routine():
            return self.stop_routine()
        return Reply.tell(Speech().say(self.t("goodbye")))

    def fallback(self) -> Reply:
        """Not understood: mid-check, ask the question again; mid-routine, point back to it."""
        if self.state == TRIAGE:
            sorry = Speech().say(self.t("fallback"), self.t("triage_answer_please"))
            return self.present("question", before=sorry)
        if self.in_routine():
            return self._aside(self.t("fallback"))
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
        if self.state == ROUTINE and self._position() is not None:
            return self.repeat_exercise()  # "repeat" mid-routine: this exercise again
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

    def previous(self) -> Reply:
        """"Go back": the previous question in the check, the previous exercise in a routine."""
        if self.in_routine():
            return self.previous_exercise()
        return self.go_back()

    # --- yes and no: an answer in the symptom check, else to what was just offered --------

    def _take_offer(self) -> tuple[str | None, list]:
        """What was just offered ("would you like to...?"), taken: an answer uses it up."""
        offer = self.session.pop("offer", None)
        if isinstance(offer, list) and offer and isinstance(offer[0], str):
            return offer[0], offer[1:]
        return None, []

    def yes(self) -> Reply:
        if self.state == TRIAGE:
            return self.answer("yes")
        kind, args = self._take_offer()
        if kind == "routine" and args:
            return self.start_routine(args[0])
        accept = {"more": self.more, "triage": self.check_symptoms, "resume": self.resume_saved,
                  "skip": self.skip, "forget": self.forget_confirmed}
        if kind in accept:
            return accept[kind]()
        if self.in_routine():
            return self.resume() if self.state == PAUSED else self.next_step()
        return self.fallback()

    def no(self) -> Reply:
        if self.state == TRIAGE:
            return self.answer("no")
        kind, _ = self._take_offer()
        if kind == "skip":
            return self.try_again_gently()
        if kind == "forget":
            return self.present("menu", before=Speech().say(self.t("forget_kept")))
        if kind == "resume":
            self.profile.place = None  # they'd rather not continue: start fresh next time
        if kind:
            return self.present("menu", before=Speech().say(self.t("okay")))
        if self.state == ROUTINE and self._position() is not None:
            return self.pause()  # "no" to "ready to go on?"
        return self.fallback()

    # --- the user's data ------------------------------------------------------------------

    def forget(self) -> Reply:
        self.leave_routine()
        return self.present("forget_confirm")

    def _show_forget_confirm(self) -> Reply:
        self.session["offer"] = ["forget"]
        return Reply.ask(Speech().say(self.t("forget_confirm")), self.t("forget_reprompt"))

    def forget_confirmed(self) -> Reply:
        if not self._forget_store():
            return self.present("menu", before=Speech().say(self.t("forget_failed")))
        self.profile = Profile()
        for key in ("rt", "so", "last"):
            self.session.pop(key, None)
        self.state = HOME
        return Reply.tell(Speech().say(self.t("forgot"), self.t("goodbye")))

    # --- reminders ------------------------------------------------------------------------

    def remind(self, hhmm: str | None, period: str | None = None) -> Reply:
        time = _reminder_time(hhmm, period)
        if time is None:
            return Reply.ask(Speech().say(self.t("reminder_time_please")),
                             self.t("reminder_time_please"))
        result = self._set_reminder(time, self.t("reminder_spoken"))
        if result == "set":
            self.profile.reminder = time
            speech = Speech().say(self.t("reminder_set", time=_spoken_time(time)))
            return Reply.ask(speech.say(self.t("what_else")), self.t("menu_reprompt"))
        if result == "permission":
            return Reply.tell(Speech().say(self.t("reminder_permission")),
                              card=("Thigh Pain Coach", self.t("reminder_card")),
                              consent=[REMINDERS])
        return Reply.ask(Speech().say(self.t("reminder_failed"), self.t("what_else")),
                         self.t("menu_reprompt"))

    def routine_safe(self) -> bool:
        """No routine after a red flag or a cause to get checked, for the rest of the session."""
        if self.session.get("rf"):
            return False
        answers = self._answers()
        if answers:
            outcome = self.check.step(answers).outcome
            if outcome is not None and not outcome.routine_allowed:
                return False
        return True


    # --- who is being helped ------------------------------------------------------------

    def caregiver(self, who: str | None) -> Reply:
        self.session["who"] = who if who in ("she", "he", "they") else "they"
        self.voice = Voice(self.content, self.voice.locale_id, self.session["who"])
        return self.present("menu", before=Speech().say(self.t("caregiver_on")))

    def for_self(self) -> Reply:
        self.session["who"] = "self"
        self.voice = Voice(self.content, self.voice.locale_id, "self")
        return self.present("menu", before=Speech().say(self.t("caregiver_off")))


_PERIODS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night"}


def _reminder_time(hhmm: str | None, period: str | None) -> str | None:
    """AMAZON.TIME ("19:00", "07:00", or "EV" for "evening") and a spoken period -> "HH:MM"."""
    if not hhmm:
        return None
    if hhmm in _PERIODS:
        period, hhmm = _PERIODS[hhmm], {"MO": "08:00", "AF": "14:00", "EV": "19:00",
                                        "NI": "21:00"}[hhmm]
    try:
        hour, minute = (int(part) for part in hhmm.split(":")[:2])
    except ValueError:
        return None
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    if period in ("afternoon", "evening", "night") and hour < 12:
        hour += 12  # "every evening at seven": Alexa hears "seven" as 07:00
    return f"{hour:02d}:{minute:02d}"


def _spoken_time(hhmm: str) -> str:
    hour, minute = (int(p) for p in hhmm.split(":"))
    suffix = "a m" if hour < 12 else "p m"
    hour12 = hour % 12 or 12
    return f"{hour12}{':' + format(minute, '02d') if minute else ''} {suffix}"
