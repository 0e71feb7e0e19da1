"""Explaining a cause: a one-breath summary, then more in short chunks on request."""

from __future__ import annotations

from .content import Cause
from .reply import Reply
from .speech import Speech
from .state import Ask, CausePlace, Mode
from .talk import Show, Turn, join_or, list_page
from .topic_talk import offer_topic, topic_for_cause


class CauseTalk:
    def __init__(self, turn: Turn) -> None:
        self.turn = turn

    def shows(self) -> dict[str, Show]:
        return {"cause": self.show_cause, "cause_end": self.show_cause_end,
                "cause_list": self.show_cause_list}

    def _chunks(self, cause: Cause) -> list[str]:
        words, t = self.turn.words, self.turn.t
        return [words(cause.summary), *(words(m) for m in cause.more),
                f"{t('signs_intro')} {words(cause.signs)}",
                f"{t('helps_intro')} {words(cause.helps)}",
                f"{t('see_doctor_intro')} {words(cause.see_doctor)}"]

    def explain(self, cause_id: str | None) -> Reply:
        if cause_id is None or cause_id not in self.turn.content.causes:
            return self.turn.present("cause_list", True)
        self.turn.state.mode = Mode.CAUSE
        self.turn.state.cause = CausePlace(cause_id, 0)
        return self.turn.present("cause", cause_id, 0)

    def routine_for(self, heard: str) -> str | None:
        """The routine that suits a cause named in passing, if one does and is safe to offer
        as self care ("a stretch for sciatica"); the slot heard it, but not as a routine."""
        said = " ".join(heard.casefold().split())
        for cause in self.turn.content.causes.values():
            names = {cause.name.casefold(), *(n.casefold() for n in cause.synonyms)}
            if said in names and cause.level == "self_care" and cause.gate is None:
                return cause.routine
        return None

    def list_causes(self, page: int = 0) -> Reply:
        return self.turn.present("cause_list", False, page)

    def more(self) -> Reply:
        """The next chunk about the cause in hand; with none, the list of causes."""
        where = self.turn.state.cause
        if where is None:
            return self.turn.present("cause_list", False)
        total = len(self._chunks(self.turn.content.causes[where.cause]))
        if where.chunk + 1 >= total:
            return self.turn.present("cause_end", where.cause)
        self.turn.state.mode = Mode.CAUSE
        self.turn.state.cause = CausePlace(where.cause, where.chunk + 1)
        return self.turn.present("cause", where.cause, where.chunk + 1)

    def show_cause(self, cause_id: str, chunk: int) -> Reply:
        cause = self.turn.content.causes[cause_id]
        chunks = self._chunks(cause)
        speech = Speech().say(chunks[chunk])
        if chunk + 1 < len(chunks):
            speech.say(self.turn.t("more_prompt"))
            return Reply.ask(speech, self.turn.t("more_reprompt"), asks=Ask.HEAR_MORE,
                             about=cause_id)
        return self._after_cause(speech, cause)

    def show_cause_end(self, cause_id: str) -> Reply:
        cause = self.turn.content.causes[cause_id]
        return self._after_cause(Speech().say(self.turn.t("cause_done", cause=cause.name)), cause)

    def _after_cause(self, speech: Speech, cause: Cause) -> Reply:
        """The end of an explanation: the routine that suits it, unless that's not safe now."""
        if cause.gate is not None:
            speech.say(self.turn.words(cause.gate))
        elif cause.routine and cause.level == "self_care" and self.turn.state.safe_for_routine:
            routine = self.turn.content.routines[cause.routine]
            speech.say(self.turn.t("offer_routine", routine=routine.name))
            return Reply.ask(speech, self.turn.t("offer_routine_reprompt_short",
                                                 routine=routine.name),
                             asks=Ask.START_ROUTINE, about=routine.id)
        topic = topic_for_cause(self.turn, cause.id)  # no routine: the question that fits
        if topic is not None:
            return offer_topic(self.turn, speech, topic)
        return self.turn.close(speech)

    def show_cause_list(self, unknown: bool = False, page: int = 0) -> Reply:
        speech = Speech()
        if unknown:
            speech.say(self.turn.t("cause_unknown"))
        names, page, more = list_page([c.name for c in self.turn.content.causes.values()], page)
        speech.say(self.turn.t("cause_list", causes=join_or(names)))
        if more:
            speech.say(self.turn.t("list_more"))
        speech.say(self.turn.t("which_one"))
        return Reply.ask(speech, self.turn.t("cause_list_reprompt"), asks=Ask.WHICH_CAUSE,
                         about=page)
