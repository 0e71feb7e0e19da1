"""The symptom check as a conversation: questions, answers, going back, warning signs, the
outcome. The answers live in the conversation state (the session) only: never stored, never
logged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .content import CHAIR_ROUTINE, Cause, Routine
from .reply import Reply
from .speech import Speech
from .state import Ask, CausePlace, Mode, Signal
from .talk import Show, Turn
from .topic_talk import offer_topic, topic_for_cause

if TYPE_CHECKING:
    from .triage import Outcome, Question, SymptomCheck


class SymptomTalk:
    def __init__(self, turn: Turn) -> None:
        self.turn = turn

    def shows(self) -> dict[str, Show]:
        return {"question": self.show_question, "outcome": self.show_outcome,
                "flag": self.show_flag, "flag_unclear": self.show_flag_unclear,
                "warning_signs": self.show_warning_signs}

    @property
    def check(self) -> SymptomCheck:
        from .triage import SymptomCheck  # loaded when first needed, not every cold start

        return SymptomCheck(self.turn.content)

    def pending_id(self) -> str | None:
        """The id of the check question waiting for its answer, if one is."""
        question = self.check.step(self.turn.state.answers).question
        return question.id if question is not None else None

    # --- asking ----------------------------------------------------------------------------

    def start(self, before: Speech | None = None) -> Reply:
        """A new check, from the first question (the session's safety memory stays). In
        read-aloud mode there is no check: the warning signs are read out instead."""
        if self.turn.read_aloud:
            intro = before or Speech()
            if self.turn.new_session:
                intro.say(self.turn.t("disclaimer"))
            return self.turn.present("warning_signs", 0, before=intro)
        state = self.turn.state
        state.mode, state.answers, state.check_open = Mode.CHECK, "", True
        intro = before or Speech()
        if self.turn.new_session:  # a one-shot request: the disclaimer comes first
            intro.say(self.turn.t("disclaimer"))
        return self.turn.present("question", before=intro.say(self.turn.t("triage_intro")))

    def resume(self) -> Reply:
        """Back from a side trip: the pending question again, in full."""
        self.turn.state.mode = Mode.CHECK
        return self.turn.present("question", before=Speech().say(self.turn.t("back_to_check")))

    def answer(self, value: str) -> Reply:
        """yes / no / unsure to the check question the last response asked."""
        from .triage import ANSWER_CODES

        state = self.turn.state
        before = self.check.step(state.answers)
        state.answers += ANSWER_CODES[value]
        if before.asks_a_sign and value == "yes":
            state.remember(Signal.RED_FLAG)
        elif before.asks_a_sign and value == "unsure":
            state.remember(Signal.UNSURE)
        step = self.check.step(state.answers)
        if step.outcome is not None:
            state.mode, state.check_open = Mode.RESULT, False
            if step.outcome.level != "self_care":
                state.remember(Signal.SEE_DOCTOR)
            if step.outcome.fresh_strain:
                state.remember(Signal.FRESH_STRAIN)
            return self.turn.present("outcome")
        intro = Speech()
        if before.is_red_flag and not step.is_red_flag:
            intro.say(self.turn.t("patterns_intro"))
        return self.turn.present("question", before=intro)

    def answer_with_sign(self, value: str, flag_id: str | None) -> Reply:
        """An answer with a warning sign inside it: both count, the more serious is heard."""
        from .content import LEVELS
        from .triage import ANSWER_CODES

        state = self.turn.state
        flags = {f.id: f for f in self.turn.content.triage.red_flags}
        before = self.check.step(state.answers)
        after = self.check.step(state.answers + ANSWER_CODES[value])
        outcome = after.outcome
        if (before.is_red_flag and value != "no" and outcome is not None and flag_id in flags
                and LEVELS.index(outcome.level) < LEVELS.index(flags[flag_id].level)):
            return self.answer(value)
        if before.asks_a_sign and value == "unsure":
            state.remember(Signal.UNSURE)
        return self.red_flag(flag_id)

    def abandon(self) -> None:
        """The user would rather not go on: the answers so far are dropped."""
        state = self.turn.state
        state.answers, state.check_open = "", False
        if state.mode == Mode.CHECK:
            state.mode = Mode.HOME

    def not_an_answer(self, sorry: str | None = None) -> Reply:
        """Anything but yes, no or not sure to a check question: ask it again, in full."""
        speech = Speech()
        if sorry:
            speech.say(sorry)
        return self.turn.present("question",
                                 before=speech.say(self.turn.t("triage_answer_please")))

    def go_back(self) -> Reply:
        state = self.turn.state
        if not state.answers:
            return self.turn.present("question",
                                     before=Speech().say(self.turn.t("triage_first_question")))
        state.mode, state.check_open = Mode.CHECK, True
        state.answers = state.answers[:-1]
        return self.turn.present("question", before=Speech().say(self.turn.t("triage_back")))

    def help(self) -> Reply:
        step = self.check.step(self.turn.state.answers)
        if step.question is None:
            return self.show_outcome()
        _, short = self._wordings(step.question)
        return Reply.ask(Speech().say(self.turn.t("triage_help"), short), short,
                         asks=Ask.CHECK_QUESTION)

    def _wordings(self, question: Question) -> tuple[str, str]:
        """The question and its short form, for this user (the check asks only flags that
        have them)."""
        assert question.question is not None and question.short is not None
        return self.turn.words(question.question), self.turn.words(question.short)

    def show_question(self) -> Reply:
        step = self.check.step(self.turn.state.answers)
        if step.question is None:  # already answered: the outcome is what's pending
            return self.show_outcome()
        question, short = self._wordings(step.question)
        return Reply.ask(Speech().say(question), short, asks=Ask.CHECK_QUESTION)

    def show_warning_signs(self, part: int) -> Reply:
        """Read-aloud mode: the signs and what to do, in two breaths, asking nothing about
        the user's body."""
        if part == 0:
            return Reply.ask(Speech().say(self.turn.t("signs_emergency"),
                                          self.turn.t("signs_more")),
                             self.turn.t("signs_more"), asks=Ask.MORE_SIGNS)
        return self.turn.close(Speech().say(self.turn.t("signs_today")))

    # --- warning signs said at any moment ---------------------------------------------------

    def red_flag(self, flag_id: str | None) -> Reply:
        state = self.turn.state
        state.check_open = False  # the check gives way to the advice
        if flag_id is None or flag_id not in {f.id for f in self.turn.content.triage.red_flags}:
            state.remember(Signal.RED_FLAG)  # something alarming we could not place: be safe
            return self.turn.present("flag_unclear")
        state.mode = Mode.RESULT
        state.remember(Signal.RED_FLAG)
        return self.turn.present("flag", flag_id)

    def show_flag_unclear(self) -> Reply:
        return Reply.ask(Speech().say(self.turn.t("red_flag_unclear")),
                         self.turn.t("red_flag_unclear_reprompt"), asks=Ask.START_CHECK)

    def show_flag(self, flag_id: str) -> Reply:
        from .triage import Outcome

        flag = self.turn.content.triage.red_flag(flag_id)
        # only signs are shown by id: a question that only opens follow-ups has no advice
        assert flag.level is not None and flag.advice is not None, flag_id
        return self._advice(Outcome(flag.level, flag=flag), self.turn.words(flag.advice))

    # --- the outcome ------------------------------------------------------------------------

    def show_outcome(self) -> Reply:
        step = self.check.step(self.turn.state.answers)
        if step.outcome is None:
            return self.show_question()
        return self.outcome_reply(step.outcome)

    def _advice(self, outcome: Outcome, advice: str) -> Reply:
        """Advice to act on: then "Shall I say that again?", a question with a clear answer."""
        self.turn.state.advised(outcome.level)
        speech = Speech().say(advice, self.turn.t("say_again"))
        reprompt = self.turn.t("say_again_emergency" if outcome.level == "emergency"
                               else "say_again")
        card = self._card(outcome.level, advice)
        # on a screen, the advice replaces whatever was shown (a routine's countdown)
        return Reply.ask(speech, reprompt, asks=Ask.SAY_AGAIN, about=outcome.level, card=card,
                         screen={"kind": "advice", "title": card[0], "text": advice})

    def outcome_reply(self, outcome: Outcome) -> Reply:
        """Level and next step first, the likeliest cause in one sentence, a second named,
        then one offer; the longer version goes on the card."""
        t, words = self.turn.t, self.turn.words
        self.turn.state.screened = True  # a completed check asked all the screen asks
        if outcome.stops_early:
            return self._advice(outcome, self._advice_words(outcome))
        explains = outcome.advice
        first = self._advice_words(outcome)
        causes = list(outcome.causes)
        if not causes:
            return self._no_one_cause(outcome, first)
        top = causes[0]
        lines = [first]
        if explains is None or explains.cause != top.id:
            lines.append(t("cause_top", cause=top.name, brief=words(top.brief)))
        if len(causes) > 1 and outcome.level == "self_care":  # advice first, in the budget
            lines.append(t("cause_also", cause=causes[1].name))
        lines.append(t("not_a_diagnosis"))
        if outcome.fresh_strain:
            lines.append(t("fresh_strain_rest"))
        elif outcome.level == "self_care":
            lines.append(t("self_care_watch"))
        speech = Speech().say(*lines)
        card = self._card(outcome.level, " ".join(
            [*lines, *(words(c.summary) for c in causes)]))
        self.turn.state.cause = CausePlace(top.id, 0)
        if (outcome.routine_allowed and self.turn.state.safe_for_routine and top.routine
                and top.level == "self_care"):
            return self._offer_routine(speech, self.turn.content.routines[top.routine], card)
        if outcome.fresh_strain and outcome.level == "self_care":  # rest first: ice or heat?
            topic = topic_for_cause(self.turn, top.id)
            if topic is not None:
                reply = offer_topic(self.turn, speech, topic)
                reply.card = card
                return reply
        return self.offer_more(speech, top, card)

    def _no_one_cause(self, outcome: Outcome, first: str) -> Reply:
        """No answer points to a cause: say so, name none, and offer the gentle routine (when
        nothing rules a routine out) or the common questions."""
        t = self.turn.t
        # with a doctor to see, that is the answer; "no one cause" is for self-care
        lines = [first, *([t("no_one_cause")] if outcome.level == "self_care" else []),
                 t("not_a_diagnosis"),
                 *([t("fresh_strain_rest")] if outcome.fresh_strain else [])]
        speech = Speech().say(*lines)
        card = self._card(outcome.level, " ".join(lines))
        if outcome.routine_allowed and self.turn.state.safe_for_routine:
            return self._offer_routine(speech, self.turn.content.routines[CHAIR_ROUTINE], card)
        speech.say(t("offer_topics"))
        return Reply.ask(speech, t("offer_topics"), asks=Ask.WHAT_NEXT, card=card)

    def _offer_routine(self, speech: Speech, routine: Routine, card: tuple[str, str]) -> Reply:
        speech.say(self.turn.t("offer_routine", routine=routine.name))
        return Reply.ask(speech, self.turn.t("offer_routine_reprompt", routine=routine.name),
                         asks=Ask.START_ROUTINE, about=routine.id, card=card)

    def _advice_words(self, outcome: Outcome) -> str:
        """What the level means and what to do, from the sign (or answer) that set it."""
        t, words = self.turn.t, self.turn.words
        explains = outcome.advice
        if explains is not None and explains.advice is not None:
            return words(explains.advice)
        unsure = outcome.unsure
        if unsure is not None and unsure.unsure_advice is not None and \
                unsure.unsure_level == outcome.level:
            return words(unsure.unsure_advice)
        if outcome.stops_early:  # "not sure" about an urgent sign
            return t("unsure_urgent")
        if outcome.soon_flags and (advice := outcome.soon_flags[0].advice) is not None:
            return words(advice)
        if unsure is not None:
            return t("unsure_soon")
        return t("outcome_soon" if outcome.level == "soon" else "outcome_self_care")

    def offer_more(self, speech: Speech, cause: Cause, card: tuple[str, str] | None,
                   said: int = 0) -> Reply:
        """Offer more about a cause; `said` is the last chunk already heard (-1: none)."""
        self.turn.state.cause = CausePlace(cause.id, said)
        speech.say(self.turn.t("offer_more", cause=cause.name))
        return Reply.ask(speech, self.turn.t("offer_more_reprompt"), asks=Ask.HEAR_MORE,
                         about=cause.id, card=card)

    def _card(self, level: str, text: str) -> tuple[str, str]:
        return self.turn.t(f"card_{level}"), f"{text}\n\n{self.turn.t('card_footer')}"
