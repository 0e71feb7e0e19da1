"""The symptom check as a conversation: questions, answers, go back, red flags, the outcome.

Session keys: "ta", the answers so far (see triage.py); "rf", a red flag said out of turn.
Nothing here is stored beyond the session, and nothing is logged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .reply import Reply
from .speech import Speech

if TYPE_CHECKING:
    from .triage import Outcome, SymptomCheck

TRIAGE, RESULT = "triage", "result"


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


class SymptomTalk:
    """Mixed into Dialog: needs self.session, self.voice, self.content, self.t, self.present."""

    @property
    def check(self) -> SymptomCheck:
        from .triage import SymptomCheck  # loaded when first needed, not every cold start

        return SymptomCheck(self.content)

    def _answers(self) -> str:
        """The answers so far; answers no check could have produced start it afresh."""
        answers = self.session.get("ta")
        if not isinstance(answers, str):
            return ""
        try:
            self.check.step(answers)
        except ValueError:
            self.session["ta"] = ""
            return ""
        return answers

    def check_symptoms(self) -> Reply:
        self.leave_routine()
        self.state = TRIAGE
        self.session["ta"] = ""
        self.session.pop("rf", None)
        return self.present("question", before=Speech().say(self.t("triage_intro")))

    def answer(self, value: str | None) -> Reply:
        """yes / no / unsure from any phrasing; outside the check, yes and no go to offers."""
        if self.state != TRIAGE:
            if value == "yes":
                return self.yes()
            if value == "no":
                return self.no()
            return self.fallback()
        from .triage import ANSWER_CODES

        if value not in ANSWER_CODES:
            return self.present("question", before=Speech().say(self.t("triage_answer_please")))
        so_far = self._answers()
        before = self.check.step(so_far)
        answers = so_far + ANSWER_CODES[value]
        step = self.check.step(answers)
        self.session["ta"] = answers
        if step.outcome is not None:
            self.state = RESULT
            return self.present("outcome")
        intro = Speech()
        if before.is_red_flag and not step.is_red_flag:
            intro.say(self.t("patterns_intro"))
        return self.present("question", before=intro)

    def go_back(self) -> Reply:
        if self.state == RESULT and self._answers():
            self.state = TRIAGE
        if self.state != TRIAGE:
            return self.fallback()
        answers = self._answers()
        if not answers:
            return self.present("question", before=Speech().say(self.t("triage_first_question")))
        self.session["ta"] = answers[:-1]
        return self.present("question", before=Speech().say(self.t("triage_back")))

    def _show_question(self) -> Reply:
        step = self.check.step(self._answers())
        if step.question is None:  # already answered: the outcome is what's pending
            self.state = RESULT
            return self._show_outcome()
        question = self.voice.words(step.question.question)
        return Reply.ask(Speech().say(question), self.voice.words(step.question.short))

    def triage_help(self) -> Reply:
        step = self.check.step(self._answers())
        short = self.voice.words(step.question.short) if step.question else ""
        return Reply.ask(Speech().say(self.t("triage_help"), short), short or self.t("help"))

    # --- outcomes ---------------------------------------------------------------------------

    def red_flag(self, flag_id: str | None) -> Reply:
        """A dangerous sign said at any moment: it interrupts whatever is running."""
        self.leave_routine()
        if flag_id is None or flag_id not in {f.id for f in self.content.triage.red_flags}:
            return self.present("red_flag_unclear")
        self.state = RESULT
        self.session["rf"] = flag_id
        return self.present("flag", flag_id)

    def _show_red_flag_unclear(self) -> Reply:
        self.session["offer"] = ["triage"]
        return Reply.ask(Speech().say(self.t("red_flag_unclear")),
                         self.t("red_flag_unclear_reprompt"))

    def _show_flag(self, flag_id: str) -> Reply:
        from .triage import Outcome

        return self._outcome_reply(Outcome(self.content.triage.red_flag(flag_id).level,
                                           flag=self.content.triage.red_flag(flag_id)))

    def _show_outcome(self) -> Reply:
        step = self.check.step(self._answers())
        if step.outcome is None:
            return self._show_question()
        return self._outcome_reply(step.outcome)

    def _outcome_reply(self, outcome: Outcome) -> Reply:
        words = self.voice.words
        speech = Speech()
        if outcome.stops_early:
            advice = words(outcome.flag.advice) if outcome.flag else self.t("unsure_urgent")
            speech.say(advice, self.t("outcome_close"))
            card = self._card(outcome.level, advice)
            if outcome.level == "emergency":
                return Reply.ask(speech, self.t("outcome_emergency_reprompt"), card=card)
            cause = outcome.flag.cause if outcome.flag else None
            if cause:  # not yet summarised: "more" starts at its summary
                return self._offer_more(speech, self.content.causes[cause], card, said=-1)
            return Reply.ask(speech, self.t("outcome_close"), card=card)
        lines = []
        if outcome.soon_flags:
            lines.append(words(outcome.soon_flags[0].advice))
        elif outcome.unsure is not None:
            lines.append(self.t("unsure_soon"))
        elif outcome.level == "soon":
            lines.append(self.t("outcome_soon"))
        else:
            lines.append(self.t("outcome_self_care"))
        causes = list(outcome.causes)
        if causes:
            names = [c.name for c in causes]
            lines.append(self.t("causes_one", cause=names[0]) if len(names) == 1
                         else self.t("causes_many", causes=join_names(names)))
            lines += [words(c.summary) for c in causes]
        else:
            lines.append(self.t("no_cause"))
        lines.append(self.t("not_a_diagnosis"))
        if outcome.level == "self_care":
            lines.append(self.t("self_care_watch"))
        speech.say(*lines)
        card = self._card(outcome.level, " ".join(lines))
        if not causes:
            return self._cause_list_reply(speech, card=card)
        top = causes[0]
        self.session["cz"] = [top.id, 0]
        if outcome.routine_allowed and top.routine and top.level == "self_care":
            if top.gate is not None:
                speech.say(words(top.gate))
                return self._offer_more(speech, top, card)
            routine = self.content.routines[top.routine]
            self.session["offer"] = ["routine", routine.id]
            speech.say(self.t("offer_routine_or_more", routine=routine.name, cause=top.name))
            return Reply.ask(speech, self.t("offer_routine_reprompt", routine=routine.name),
                             card=card)
        return self._offer_more(speech, top, card)

    def _offer_more(self, speech: Speech, cause, card, said: int = 0) -> Reply:
        """Offer more about a cause; `said` is the last chunk already heard (-1: none)."""
        self.session["offer"] = ["more", cause.id]
        self.session["cz"] = [cause.id, said]
        speech.say(self.t("offer_more", cause=cause.name))
        return Reply.ask(speech, self.t("offer_more_reprompt"), card=card)

    def _card(self, level: str, text: str) -> tuple[str, str]:
        return self.t(f"card_{level}"), f"{text}\n\n{self.t('card_footer')}"
