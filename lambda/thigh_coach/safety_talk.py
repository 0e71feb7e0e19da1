"""Warning signs that are not red flags of the check: what is felt during an exercise (pain
that shoots or spreads, pins and needles or numbness, a sharp or tearing pain, dizziness), a
fall, "it hurts" outside a routine, and asking the speaker to call for help.

Each one stops the exercise at once. Those that need care (a sharp pain, a fall, dizziness,
a call for help) set the session's safety memory, so no routine follows; pain down the leg
stops that exercise only (docs/clinical-reference.md, "During exercise").
"""

from __future__ import annotations

from .reply import Reply
from .routine_talk import RoutineCoach
from .speech import Speech
from .state import Ask, Mode, Signal, SignalName
from .talk import Show, Turn

# kind of advice -> (text key, the safety memory it sets)
ADVICE: dict[str, tuple[str, SignalName | None]] = {
    "sharp": ("sharp_pain_advice", Signal.SHARP_PAIN),
    "dizzy": ("dizzy_advice", Signal.DIZZY),
    "fall_can_get_up": ("fall_can_get_up_advice", Signal.FALL),
    "fall_cannot_get_up": ("fall_cannot_get_up_advice", Signal.FALL),
    "fall": ("fall_advice", Signal.FALL),  # read-aloud mode: whether or not they can get up
}


class SafetyTalk:
    def __init__(self, turn: Turn, coach: RoutineCoach) -> None:
        self.turn = turn
        self.coach = coach

    def shows(self) -> dict[str, Show]:
        return {"advice": self.show_advice, "nerve_stop": self.show_nerve_stop,
                "no_self_care": self.show_no_self_care, "action_again": self.show_action_again,
                "nerve_info": self.show_nerve_info, "fall_question": self.show_fall_question,
                "how_bad": self.show_how_bad, "start_check_offer": self.show_start_check_offer}

    def advise(self, kind: str) -> Reply:
        """Stop everything, remember why, and give the advice for this kind of sign."""
        _, signal = ADVICE[kind]
        self.coach.abandon()
        self.turn.state.check_open = False
        self.turn.state.mode = Mode.RESULT
        if signal is not None:
            self.turn.state.remember(signal)
        return self.turn.present("advice", kind)

    def show_advice(self, kind: str) -> Reply:
        key, _ = ADVICE[kind]
        level = "emergency" if kind in ("fall_cannot_get_up", "fall") else "urgent"
        self.turn.state.advised(level)
        reprompt = self.turn.t("say_again_emergency" if level == "emergency" else "say_again")
        advice = self.turn.t(key)
        # on a screen, the advice replaces the routine's countdown
        return Reply.ask(Speech().say(advice, self.turn.t("say_again")), reprompt,
                         asks=Ask.SAY_AGAIN, about=level,
                         screen={"kind": "advice", "title": self.turn.t(f"card_{level}"),
                                 "text": advice})

    # --- after advice to act on ---------------------------------------------------------------

    def action(self) -> str:
        """What to do, in one sentence, for the session's most urgent advice."""
        return self.turn.t("action_emergency" if self.turn.state.advice == "emergency"
                           else "action_urgent")

    def show_no_self_care(self) -> Reply:
        """Heat, massage, stretching or painkillers asked about after such advice."""
        return self._action_again(Speech().say(self.turn.t("no_self_care")))

    def show_action_again(self) -> Reply:
        """"What should I do?" after such advice: the action, again."""
        return self._action_again(Speech())

    def _action_again(self, speech: Speech) -> Reply:
        return Reply.ask(speech.say(self.action(), self.turn.t("say_again")),
                         self.turn.t("say_again"), asks=Ask.SAY_AGAIN,
                         about=self.turn.state.advice)

    def close_with_action(self) -> Reply:
        """"No" to "Shall I repeat that?": the action and number once more, then goodbye."""
        self.turn.state.mode = Mode.HOME
        return Reply.tell(Speech().say(self.turn.t("okay"), self.action()))

    def nerve_pain(self) -> Reply:
        """Pain shooting or spreading down the leg, pins and needles, numbness: the
        exercise stops, and those that tension the sciatic nerve are left out for the rest
        of the session (docs/clinical-reference.md, "Nerve symptoms during an exercise")."""
        self.turn.state.nerve = True
        if self.coach.active:
            self.turn.state.mode = Mode.PAUSED
            return self.turn.present("nerve_stop")
        return self.turn.present("nerve_info")

    def show_nerve_stop(self) -> Reply:
        move_on = self.coach.show_move_on()
        move_on.speech = Speech().say(self.turn.t("nerve_pain_stop")).extend(move_on.speech)
        return move_on

    def show_nerve_info(self) -> Reply:
        return Reply.ask(Speech().say(self.turn.t("nerve_pain_info"),
                                      self.turn.t("offer_check")),
                         self.turn.t("offer_check"), asks=Ask.START_CHECK)

    def fell(self, stuck: bool = False) -> Reply:
        """A fall: can they get up? Said already ("...and can't get up"): call now."""
        if stuck:
            return self.advise("fall_cannot_get_up")
        self.coach.abandon()
        self.turn.state.check_open = False
        self.turn.state.mode = Mode.RESULT
        self.turn.state.remember(Signal.FALL)
        if self.turn.read_aloud:  # no question about the body: both answers' advice at once
            return self.turn.present("advice", "fall")
        return self.turn.present("fall_question")

    def show_fall_question(self) -> Reply:
        return Reply.ask(Speech().say(self.turn.t("fall_stop"), self.turn.t("fall_question")),
                         self.turn.t("fall_question"), asks=Ask.GET_UP)

    def it_hurts(self) -> Reply:
        """"It hurts" outside a routine: how bad, never how to stretch (read aloud: what to
        do if it is that bad, without asking)."""
        if self.turn.read_aloud:
            return self.turn.close(Speech().say(self.turn.t("hurts_sorry"),
                                                self.turn.t("how_bad_read_aloud")))
        return self.turn.present("how_bad")

    def show_how_bad(self) -> Reply:
        return Reply.ask(Speech().say(self.turn.t("hurts_sorry"), self.turn.t("how_bad")),
                         self.turn.t("how_bad"), asks=Ask.PAIN_SEVERE)

    def show_start_check_offer(self) -> Reply:
        return Reply.ask(Speech().say(self.turn.t("check_helps"), self.turn.t("offer_check")),
                         self.turn.t("offer_check"), asks=Ask.START_CHECK)

    def cannot_call(self, *, after_advice: bool, level: str | None) -> Reply:
        """The speaker can't call anyone: say so, and who to call (an "okay" or "thank you"
        after advice lands here too: it is no answer to "shall I say that again?")."""
        self.turn.state.remember(Signal.HELP_CALL)
        self.coach.abandon()
        emergency = level == "emergency"
        speech = Speech().say(self.turn.t("cannot_call" if emergency else "cannot_call_urgent"))
        if after_advice and self.turn.state.recipe:
            speech.say(self.turn.t("say_again"))
            return Reply.ask(speech, self.turn.t("say_again_emergency" if emergency
                                                 else "say_again"),
                             asks=Ask.SAY_AGAIN, about=level)
        return self.turn.close(speech)
