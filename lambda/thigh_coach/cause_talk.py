"""Explaining a cause: a one-breath summary, then more in short chunks on request.

Session key "cz": [cause id, chunk index], so "tell me more" knows where it was.
"""

from __future__ import annotations

from .content import Cause
from .reply import Reply
from .speech import Speech
from .symptom_talk import join_names

CAUSE = "cause"


class CauseTalk:
    """Mixed into Dialog."""

    def _chunks(self, cause: Cause) -> list[str]:
        words = self.voice.words
        return [words(cause.summary), *(words(m) for m in cause.more),
                f"{self.t('signs_intro')} {words(cause.signs)}",
                f"{self.t('helps_intro')} {words(cause.helps)}",
                f"{self.t('see_doctor_intro')} {words(cause.see_doctor)}"]

    def explain(self, cause_id: str | None) -> Reply:
        self.leave_routine()
        if cause_id not in self.content.causes:
            return self.present("cause_list", True)
        self.state = CAUSE
        self.session["cz"] = [cause_id, 0]
        return self.present("cause", cause_id, 0)

    def list_causes(self) -> Reply:
        return self.present("cause_list", False)

    def more(self) -> Reply:
        where = self.session.get("cz")
        if not (isinstance(where, list) and len(where) == 2 and where[0] in self.content.causes
                and type(where[1]) is int and where[1] >= -1):
            return self.present("cause_list", False)
        cause_id, chunk = where
        total = len(self._chunks(self.content.causes[cause_id]))
        if chunk + 1 >= total:
            return self.present("cause_end", cause_id)
        self.state = CAUSE
        self.session["cz"] = [cause_id, chunk + 1]
        return self.present("cause", cause_id, chunk + 1)

    def _show_cause(self, cause_id: str, chunk: int) -> Reply:
        cause = self.content.causes[cause_id]
        chunks = self._chunks(cause)
        speech = Speech().say(chunks[chunk])
        if chunk + 1 < len(chunks):
            self.session["offer"] = ["more", cause_id]
            speech.say(self.t("more_prompt"))
            return Reply.ask(speech, self.t("more_reprompt"))
        return self._after_cause(speech, cause)

    def _show_cause_end(self, cause_id: str) -> Reply:
        cause = self.content.causes[cause_id]
        return self._after_cause(Speech().say(self.t("cause_done", cause=cause.name)), cause)

    def _after_cause(self, speech: Speech, cause: Cause) -> Reply:
        """The end of an explanation: the routine that suits it, unless that's not safe now."""
        if cause.gate is not None:
            speech.say(self.voice.words(cause.gate), self.t("what_else"))
            return Reply.ask(speech, self.t("menu_reprompt"))
        if cause.routine and cause.level == "self_care" and self.routine_safe():
            routine = self.content.routines[cause.routine]
            self.session["offer"] = ["routine", routine.id]
            speech.say(self.t("offer_routine", routine=routine.name))
            return Reply.ask(speech, self.t("offer_routine_reprompt_short", routine=routine.name))
        speech.say(self.t("what_else"))
        return Reply.ask(speech, self.t("menu_reprompt"))

    def _show_cause_list(self, unknown: bool) -> Reply:
        speech = Speech()
        if unknown:
            speech.say(self.t("cause_unknown"))
        return self._cause_list_reply(speech)

    def _cause_list_reply(self, speech: Speech, card=None) -> Reply:
        names = join_names([c.name for c in self.content.causes.values()])
        speech.say(self.t("cause_list", causes=names))
        return Reply.ask(speech, self.t("cause_list_reprompt"), card=card)
