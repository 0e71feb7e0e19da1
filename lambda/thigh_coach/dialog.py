"""The conversation: one method per thing a user can say, each returning a Reply.

Plain Python over one typed state (`state.Conversation`) and the stored profile. The parts
do the work (the symptom check, cause talk, the routine coach, safety advice); the Dialog
decides which part a request goes to, and binds yes, no and "not sure" to the one question
the last response asked (`asked`), through the tables at the end of this module. Anything
said in the middle of the check suspends it; the reply to that side trip ends by offering
to go back, and going back asks the pending question again in full.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .cause_talk import CauseTalk
from .content import Content
from .profile import Profile
from .reply import Reply
from .routine_talk import RoutineCoach
from .safety_talk import SafetyTalk
from .speech import Speech
from .state import MINUTES_A_DAY, Ask, Conversation, Mode, Who
from .symptom_talk import SymptomTalk
from .talk import Ports, Show, Turn
from .topic_talk import TopicTalk

REMINDERS = "alexa::alerts:reminders:skill:readwrite"


class Dialog:
    def __init__(self, content: Content, locale: str | None, state: Conversation,
                 profile: Profile, *, today: dt.date | None = None, screen: bool = False,
                 new_session: bool = False, ports: Ports | None = None,
                 read_aloud: bool = False) -> None:
        self.turn = Turn(content, locale, state, profile, today=today or dt.date.today(),
                         screen=screen, new_session=new_session, ports=ports or Ports(),
                         read_aloud=read_aloud)
        # What the last response asked: a yes or a no answers this, and nothing else.
        self.asked, self.asked_about = state.asking, state.about
        self.check = SymptomTalk(self.turn)
        self.causes = CauseTalk(self.turn)
        self.coach = RoutineCoach(self.turn)
        self.safety = SafetyTalk(self.turn, self.coach)
        self.topics = TopicTalk(self.turn)
        self.turn.shows = {**self.check.shows(), **self.causes.shows(), **self.coach.shows(),
                           **self.safety.shows(), **self.topics.shows(), **self.shows()}

    def shows(self) -> dict[str, Show]:
        return {"welcome": self.show_welcome, "help": self.show_help, "menu": self.show_menu,
                "what_next": self.show_what_next, "fallback": self.show_fallback,
                "fallback_routine": self.show_fallback_routine,
                "forget_confirm": self.show_forget_confirm,
                "reminder_time": self.show_reminder_time,
                "reminder_morning": self.show_reminder_morning,
                "reminder_confirm": self.show_reminder_confirm}

    @property
    def state(self) -> Conversation:
        return self.turn.state

    @property
    def profile(self) -> Profile:
        return self.turn.profile

    def t(self, key: str, **values: object) -> str:
        return self.turn.t(key, **values)

    def present(self, name: str, *args: str | int, before: Speech | None = None) -> Reply:
        return self.turn.present(name, *args, before=before)

    def settle(self, reply: Reply) -> Reply:
        """The reply's question becomes the one pending question (none once it ends)."""
        self.state.asking = None if reply.end else reply.asks
        self.state.about = None if reply.end else reply.about
        return reply

    # --- every skill ----------------------------------------------------------------------

    def launch(self) -> Reply:
        returning = self.profile.last_visit is not None
        today = self.turn.today.isoformat()
        if self.profile.last_visit != today:  # one write a day at most keeps the item alive
            self.profile.last_visit = today
        self.profile.locale = self.turn.voice.locale_id
        self.state.mode = Mode.HOME
        return self.present("welcome", returning)

    def show_welcome(self, returning: bool) -> Reply:
        """A first visit hears the disclaimer and the menu; a return visit is shorter (about
        six seconds): a saved place is offered, with a line of safety first."""
        if returning and self.coach.saved_place() is not None and self.state.safe_for_routine:
            resume = self.coach.show_resume_offer()
            resume.speech = Speech().say(self.t("welcome_back")).extend(resume.speech)
            return resume
        if returning:
            return Reply.ask(Speech().say(self.t("welcome_back"), self.t("disclaimer_short"),
                                          self.t("what_would_you_like")),
                             self.t("menu_reprompt"), asks=Ask.WHAT_NEXT)
        return self.show_menu(Speech().say(self.t("welcome"), self.t("disclaimer")))

    def show_menu(self, speech: Speech | None = None) -> Reply:
        """The menu; after a warning sign its `_safe` wording, which offers no stretch."""
        return Reply.ask((speech or Speech()).say(self.t("offer_menu")), self.t("menu_reprompt"),
                         asks=Ask.WHAT_NEXT)

    def show_what_next(self) -> Reply:
        """The open question that ends a reply: go back to what was interrupted, if anything
        was, else "what would you like?". Never a stretch after a warning sign."""
        state = self.state
        if state.check_open:
            return Reply.ask(Speech().say(self.t("back_to_check_offer")),
                             self.t("back_to_check_offer"), asks=Ask.BACK_TO_CHECK)
        if state.place is not None and not self.coach.active and state.safe_for_routine:
            name = self.turn.content.routines[state.place.routine].name
            return Reply.ask(Speech().say(self.t("back_to_routine_offer", routine=name)),
                             self.t("back_to_routine_offer", routine=name),
                             asks=Ask.BACK_TO_ROUTINE)
        return Reply.ask(Speech().say(self.t("what_else")), self.t("menu_reprompt"),
                         asks=Ask.WHAT_NEXT)

    @property
    def _asked_again_after_advice(self) -> bool:
        """"Shall I repeat that?" after advice to act on is the pending question."""
        return self.asked == Ask.SAY_AGAIN and self.state.advice is not None

    def help(self) -> Reply:
        if self._asked_again_after_advice:
            return self.present("action_again")  # "what should I do?" after advice
        if self.asked == Ask.CHECK_QUESTION:
            return self.check.help()
        if self.coach.active:
            return self.reask(Speech().say(self.t("routine_help")))
        if self.asked in (None, Ask.WHAT_NEXT):
            return self.present("help")
        return self.reask(Speech().say(self.t("help_here")))

    def show_help(self) -> Reply:
        return Reply.ask(Speech().say(self.t("help"), self.t("help_reprompt")),
                         self.t("help_reprompt"), asks=Ask.WHAT_NEXT)

    def stop(self) -> Reply:
        if self.coach.active:
            return self.coach.stop()
        return self.goodbye()

    def goodbye(self) -> Reply:
        self.state.mode = Mode.HOME
        return Reply.tell(Speech().say(self.t("goodbye")))

    def fallback(self) -> Reply:
        """Not understood: ask again what was asked; mid-routine, the routine pauses."""
        if self.asked == Ask.CHECK_QUESTION:
            return self.check.not_an_answer(self.t("fallback"))
        if self.coach.active:
            self.state.mode = Mode.PAUSED
            return self.present("fallback_routine")
        if self.asked in (None, Ask.WHAT_NEXT):
            return self.present("fallback")
        if self._asked_again_after_advice:
            # after advice to act on, what isn't understood ("what should I do?") gets
            # the action again
            return self.present("action_again", before=Speech().say(self.t("fallback")))
        return self.reask(Speech().say(self.t("fallback")))

    def show_fallback(self) -> Reply:
        question = self.t("fallback_reprompt")
        return Reply.ask(Speech().say(self.t("fallback"), question), question,
                         asks=Ask.WHAT_NEXT)

    def show_fallback_routine(self) -> Reply:
        return Reply.ask(Speech().say(self.t("fallback_routine")),
                         self.t("fallback_routine_reprompt"), asks=Ask.AFTER_MISS)

    def home(self) -> Reply:
        """"Main menu": leave what was under way (the safety memory stays)."""
        self.coach.abandon()
        self.state.mode, self.state.check_open = Mode.HOME, False
        return self.present("menu", before=Speech().say(self.t("home")))

    def repeat(self) -> Reply:
        if self.coach.active and self.asked == Ask.READY:
            return self.coach.repeat_side()  # "repeat" mid-routine: this side again
        again = self._rebuild_last()
        if again is not None:
            return again
        return self.present("what_next", before=Speech().say(self.t("nothing_to_repeat")))

    def _rebuild_last(self) -> Reply | None:
        recipe = self.state.recipe
        if not recipe or not isinstance(recipe[0], str) or recipe[0] not in self.turn.shows:
            return None
        try:
            return self.present(recipe[0], *recipe[1:])
        except (TypeError, KeyError, IndexError, ValueError):
            return None  # a recipe from an older version of the skill, or a tampered session

    def reask(self, before: Speech) -> Reply:
        """`before`, then the pending question again (a check question in full)."""
        if self.asked == Ask.CHECK_QUESTION:
            return self.present("question", before=before)
        again = self._rebuild_last() if self.asked not in (None, Ask.WHAT_NEXT) else None
        if again is None or again.end or again.reprompt is None:
            return self.present("what_next", before=before)
        return Reply(before.extend(again.reprompt), again.reprompt, asks=again.asks,
                     about=again.about)

    def error(self) -> Reply:
        return Reply.ask(Speech().say(self.t("error"), self.t("error_reprompt")),
                         self.t("error_reprompt"), asks=Ask.WHAT_NEXT)

    def previous(self) -> Reply:
        """"Go back": the previous question in the check, the previous exercise in a routine."""
        if self.asked == Ask.CHECK_QUESTION or (self.state.mode == Mode.RESULT
                                                 and self.state.answers):
            return self.check.go_back()
        if self.coach.active:
            return self.coach.previous_exercise()
        return self.fallback()

    # --- answers: bound to the question just asked -----------------------------------------

    def answer(self, value: str | None) -> Reply:
        """yes / no / unsure, from AnswerIntent or the built-in yes and no."""
        if value not in ("yes", "no", "unsure"):
            if self.asked == Ask.CHECK_QUESTION:
                return self.check.not_an_answer()
            return self.reask(Speech().say(self.t("yes_or_no_please")))
        if self.asked == Ask.CHECK_QUESTION:
            return self.check.answer(value)
        table = {"yes": ON_YES, "no": ON_NO, "unsure": ON_UNSURE}[value]
        action = table.get(self.asked) if self.asked is not None else None
        if action is None:
            return self.reask(Speech().say(self.t("yes_or_no_please" if value == "unsure"
                                                  else "not_a_yes_no_question")))
        return action(self)

    def okay(self) -> Reply:
        """"Okay", "thanks": a yes to an offer, never an answer to the check or to advice."""
        if self.asked == Ask.SAY_AGAIN:
            return self.safety.cannot_call(after_advice=True, level=self._asked_id)
        if self.asked == Ask.CHECK_QUESTION:
            return self.check.not_an_answer()
        if self.asked in OKAY_MEANS_YES:
            return self.answer("yes")
        return self.reask(Speech().say(self.t("okay")))

    def call_for_help(self) -> Reply:
        return self.safety.cannot_call(after_advice=self.asked == Ask.SAY_AGAIN,
                                       level="emergency")

    def call_someone(self) -> Reply:
        """"Call my sister": not an emergency, and no alarm; the question under way again."""
        return self.reask(Speech().say(self.t("cannot_call_someone")))

    def _okay_then(self, action: Callable[[], None] | None = None) -> Reply:
        if action is not None:
            action()
        return self.turn.close(Speech().say(self.t("okay")))

    # --- the symptom check and warning signs ----------------------------------------------

    def check_symptoms(self) -> Reply:
        self.coach.interrupt()
        return self.check.start()

    def red_flag(self, flag_id: str | None, answer: str | None = None) -> Reply:
        """A dangerous sign said at any moment: it interrupts whatever is running. Said with
        an answer to a check question ("yes, both my legs are numb"), the answer binds too,
        and the more serious of the two is what the user hears."""
        self.coach.abandon()
        if answer in ("yes", "no", "unsure") and self.asked == Ask.CHECK_QUESTION:
            return self.check.answer_with_sign(answer, flag_id)
        return self.check.red_flag(flag_id)

    def start_over(self) -> Reply:
        if self.coach.active:
            return self.coach.start_over()
        if self.state.check_open or self.state.mode == Mode.RESULT:
            return self.check.start()
        return self.present("menu")

    def pain(self) -> Reply:
        """"It hurts", and "my right leg hurts" too: a pain report, never a side preference
        (which leg hurts is health data: it is not kept)."""
        if self.coach.active:
            return self.coach.painful()
        if self.asked == Ask.CHECK_QUESTION:  # mid-check: the check asks how bad, in turn
            return self.reask(Speech().say(self.t("hurts_sorry")))
        return self.safety.it_hurts()

    def fell(self, person: str | None = None, stuck: bool = False) -> Reply:
        """A fall; "my dad fell" speaks to the helper from then on (a fall ends any check, so
        no answers change hands), and "...and can't get up" is the emergency at once. Said
        to the check's "did it start with a fall...?", it is the answer: yes, a fall, and the
        check goes on to what a fall needs asked."""
        if not stuck and person is None and self.asked == Ask.CHECK_QUESTION \
                and self.check.pending_id() in FALL_QUESTIONS:
            reply = self.check.answer("yes")
            while self.check.pending_id() in FALL_QUESTIONS:  # "a fall, or a blow?": yes
                reply = self.check.answer("yes")
            return reply
        if person is not None and self.state.who == "self":
            self.state.who = _helped(person)
        return self.safety.fell(stuck)

    # --- causes -----------------------------------------------------------------------------

    def explain(self, cause_id: str | None) -> Reply:
        self.coach.interrupt()
        return self.causes.explain(cause_id)

    def list_causes(self) -> Reply:
        self.coach.interrupt()
        return self.causes.list_causes()

    def more(self) -> Reply:
        """More of what is in hand: a cause, a topic, or the list of topics."""
        if self.coach.active:
            return self.reask(Speech().say(self.t("more_mid_routine")))
        if self.asked == Ask.WHICH_CAUSE:  # "more": the next names of the list
            return self.causes.list_causes(self._next_page())
        if self.asked == Ask.WHICH_ROUTINE:
            return self.coach.list_routines(self._next_page())
        if (self.asked != Ask.HEAR_MORE and self.state.mode == Mode.TOPIC
                and self.state.topic is not None):
            return self.topics.more()
        return self.causes.more()

    def _next_page(self) -> int:
        return self.asked_about + 1 if isinstance(self.asked_about, int) else 0

    @property
    def _asked_id(self) -> str | None:
        """The cause, routine, topic or level the pending question is about, if an id."""
        return self.asked_about if isinstance(self.asked_about, str) else None

    # --- common questions (topics.yaml) -----------------------------------------------------

    def topic(self, topic_id: str | None) -> Reply:
        self.coach.interrupt()
        if self.state.advice is not None and topic_id in SELF_CARE_TOPICS:
            return self.present("no_self_care")  # a possible clot is not to be treated
        return self.topics.tell(topic_id)

    def list_topics(self) -> Reply:
        self.coach.interrupt()
        return self.topics.list_topics()

    def symptoms_of(self, cause_id: str | None) -> Reply:
        self.coach.interrupt()
        return self.topics.symptoms(cause_id)

    def recovery(self, cause_id: str | None, *, named: bool = False) -> Reply:
        """"How long will it take?": `named` when a cause was said, understood or not."""
        self.coach.interrupt()
        return self.topics.recovery(cause_id, named=named)

    # --- routines ---------------------------------------------------------------------------

    def start_routine(self, routine_id: str | None, heard: str | None = None) -> Reply:
        """A routine by its name, or by the cause it is for ("a stretch for sciatica")."""
        if routine_id is None and heard:
            routine_id = self.causes.routine_for(heard)
        return self.coach.start(routine_id)

    def next(self) -> Reply:
        if self.coach.active:
            return self.coach.next_step()
        if self.asked in OKAY_MEANS_YES:
            return self.answer("yes")  # "go on", "continue": to an offer, a yes
        return self.coach.no_routine()

    def resume(self) -> Reply:
        if self.state.check_open and not self.coach.active and self.state.place is None:
            return self.check.resume()
        return self.coach.resume()

    # --- the user's data ------------------------------------------------------------------

    def forget(self) -> Reply:
        self.coach.interrupt()
        return self.present("forget_confirm")

    def show_forget_confirm(self) -> Reply:
        return Reply.ask(Speech().say(self.t("forget_confirm")), self.t("forget_reprompt"),
                         asks=Ask.FORGET)

    def forget_confirmed(self) -> Reply:
        if not self.turn.ports.forget_store():
            return self.turn.close(Speech().say(self.t("forget_failed")))
        self.turn.profile = Profile()
        self.state.place, self.state.only_side, self.state.recipe = None, None, ()
        self.state.mode = Mode.HOME
        return Reply.tell(Speech().say(self.t("forgot"), self.t("goodbye")))

    # --- reminders ------------------------------------------------------------------------

    def remind(self, hhmm: str | None, period: str | None = None) -> Reply:
        """A daily reminder: the time, morning or evening when the hour could be either,
        then "Every day at 7 p m. Shall I set it?" before anything is created."""
        time = _reminder_time(hhmm, period)
        if time is None:
            return self.present("reminder_time")
        if period is None and hhmm not in _PERIODS and 60 <= time < 12 * 60:
            return self.present("reminder_morning", time)  # 7: morning or evening?
        return self.present("reminder_confirm", time)

    def show_reminder_time(self) -> Reply:
        return Reply.ask(Speech().say(self.t("reminder_time_please")),
                         self.t("reminder_time_please"), asks=Ask.REMINDER_TIME)

    def show_reminder_morning(self, minutes: int) -> Reply:
        said = _spoken_time(minutes).rsplit(" ", 2)[0]  # "7", without a m / p m
        question = self.t("reminder_morning", time=said)
        return Reply.ask(Speech().say(question), question, asks=Ask.REMINDER_MORNING,
                         about=minutes)

    def show_reminder_confirm(self, minutes: int) -> Reply:
        question = self.t("reminder_confirm", time=_spoken_time(minutes))
        return Reply.ask(Speech().say(question), question, asks=Ask.REMINDER_CONFIRM,
                         about=minutes)

    def _asked_time(self) -> int | None:
        """The time of day the pending question is about, in minutes after midnight."""
        about = self.asked_about
        return about if isinstance(about, int) and 0 <= about < MINUTES_A_DAY else None

    def reminder_in_the_morning(self) -> Reply:
        time = self._asked_time()
        return self.present("reminder_confirm", time) if time is not None else self.remind(None)

    def reminder_in_the_evening(self) -> Reply:
        time = self._asked_time()
        if time is None:
            return self.remind(None)
        return self.present("reminder_confirm", (time + 12 * 60) % MINUTES_A_DAY)

    def set_reminder(self) -> Reply:
        time = self._asked_time()
        if time is None:
            return self.remind(None)
        hhmm = f"{time // 60:02d}:{time % 60:02d}"
        result = self.turn.ports.set_reminder(hhmm, self.t("reminder_spoken"))
        if result == "set":
            self.profile.reminder = hhmm
            return self.turn.close(Speech().say(self.t("reminder_set",
                                                       time=_spoken_time(time))))
        if result == "permission":
            return Reply.tell(Speech().say(self.t("reminder_permission")),
                              card=("Thigh Pain Coach", self.t("reminder_card")),
                              consent=[REMINDERS])
        return self.turn.close(Speech().say(self.t("reminder_failed")))

    # --- who is being helped ------------------------------------------------------------

    def caregiver(self, who: str | None) -> Reply:
        return self._switch_person(_helped(who), "caregiver_on")

    def for_self(self) -> Reply:
        return self._switch_person("self", "caregiver_off")

    def _switch_person(self, who: Who, key: str) -> Reply:
        """Answers about one person never count for another: a switch starts the check anew."""
        state = self.state
        changed = who != state.who
        state.who = who
        speech = Speech().say(self.t(key))
        if not changed:
            return self.reask(speech)
        had_check = state.check_open or state.mode == Mode.RESULT
        state.answers, state.check_open = "", False
        if had_check:
            return self.check.start(before=speech.say(self.t("check_again_for_person")))
        return self.present("what_next", before=speech)


def _helped(person: str | None) -> Who:
    """Who a helper speaks for, from a PERSON slot's id (anyone unnamed is "they")."""
    return "she" if person == "she" else "he" if person == "he" else "they"


# The check's questions a fall said is "yes" to: how it started, and whether it was a fall
# or a blow (content/triage.yaml)
FALL_QUESTIONS = ("sudden", "fall_or_blow")

# What yes, no and "not sure" do, by the question the last response asked. A question that
# is not here ("what would you like?", "which cause?") takes no yes or no: it is asked again.
Action = Callable[[Dialog], Reply]
# Self-treatment the common questions describe, which advice to act on rules out for now
SELF_CARE_TOPICS = frozenset({"cold_heat", "pain_relief", "rice", "foam_rolling",
                              "find_trigger_points", "prevention", "return_to_sport"})
ON_YES: dict[str, Action] = {
    Ask.START_CHECK: lambda d: d.check_symptoms(),
    Ask.SCREEN: lambda d: d.coach.screened_out(),
    Ask.BACK_TO_CHECK: lambda d: d.check.resume(),
    Ask.HEAR_MORE: lambda d: d.causes.more(),
    Ask.HEAR_TOPIC: lambda d: d.topics.more(),
    Ask.OFFER_TOPIC: lambda d: d.topics.tell(d._asked_id),
    Ask.START_ROUTINE: lambda d: d.coach.start(d._asked_id),
    Ask.BACK_TO_ROUTINE: lambda d: d.coach.resume(),
    Ask.RESUME_SAVED: lambda d: d.coach.resume_saved(),
    Ask.READY: lambda d: d.coach.next_step(),
    Ask.STOP_FOR_TODAY: lambda d: d.coach.stop(),
    Ask.CARRY_ON: lambda d: d.coach.resume(),
    Ask.SKIP: lambda d: d.coach.skip(),
    Ask.PAIN_SHARP: lambda d: d.safety.advise("sharp"),
    Ask.PAIN_SEVERE: lambda d: d.red_flag("infection_or_severe_pain"),
    Ask.MOVE_ON: lambda d: d.coach.move_on(),
    Ask.SAY_AGAIN: lambda d: d.repeat(),
    Ask.GET_UP: lambda d: d.safety.advise("fall_can_get_up"),
    Ask.FORGET: lambda d: d.forget_confirmed(),
    Ask.MORE_SIGNS: lambda d: d.present("warning_signs", 1),
    Ask.REMINDER_MORNING: lambda d: d.reminder_in_the_morning(),
    Ask.REMINDER_CONFIRM: lambda d: d.set_reminder(),
}
ON_NO: dict[str, Action] = {
    Ask.START_CHECK: lambda d: d._okay_then(),
    Ask.SCREEN: lambda d: d.coach.screen_passed(d._asked_id),
    Ask.BACK_TO_CHECK: lambda d: d._okay_then(d.check.abandon),
    Ask.HEAR_MORE: lambda d: d._okay_then(),
    Ask.HEAR_TOPIC: lambda d: d._okay_then(),
    Ask.OFFER_TOPIC: lambda d: d._okay_then(),
    Ask.START_ROUTINE: lambda d: d._okay_then(),
    Ask.BACK_TO_ROUTINE: lambda d: d._okay_then(d.coach.abandon),
    Ask.RESUME_SAVED: lambda d: d._okay_then(d.coach.forget_saved_place),
    Ask.READY: lambda d: d.coach.not_ready(),
    Ask.STOP_FOR_TODAY: lambda d: d.coach.resume(),
    Ask.CARRY_ON: lambda d: d.coach.stop(),
    Ask.SKIP: lambda d: d.coach.keep_hurting_exercise(),
    Ask.PAIN_SHARP: lambda d: d.coach.offer_move_on(Speech().say(d.t("okay"))),
    Ask.PAIN_SEVERE: lambda d: d.present("start_check_offer"),
    Ask.MOVE_ON: lambda d: d.coach.stop_after_exercise(),
    Ask.SAY_AGAIN: lambda d: d.safety.close_with_action(),
    Ask.GET_UP: lambda d: d.safety.advise("fall_cannot_get_up"),
    Ask.FORGET: lambda d: d.turn.close(Speech().say(d.t("forget_kept"))),
    Ask.MORE_SIGNS: lambda d: d._okay_then(),
    Ask.REMINDER_MORNING: lambda d: d.reminder_in_the_evening(),
    Ask.REMINDER_CONFIRM: lambda d: d.turn.close(Speech().say(d.t("reminder_not_set"))),
}
# "Not sure" is never "no" where safety is asked about: it counts as the worrying answer.
ON_UNSURE: dict[str, Action] = {
    Ask.PAIN_SHARP: ON_YES[Ask.PAIN_SHARP],
    Ask.PAIN_SEVERE: ON_YES[Ask.PAIN_SEVERE],
    Ask.GET_UP: ON_NO[Ask.GET_UP],
    Ask.SCREEN: ON_YES[Ask.SCREEN],  # not sure of a new injury or swelling: check it first
}
# Offers an "okay" or "go on" accepts (never a check question, advice, or deleting data).
OKAY_MEANS_YES = frozenset({
    Ask.START_CHECK, Ask.BACK_TO_CHECK, Ask.HEAR_MORE, Ask.MORE_SIGNS, Ask.HEAR_TOPIC, Ask.OFFER_TOPIC,
    Ask.START_ROUTINE,
    Ask.BACK_TO_ROUTINE, Ask.RESUME_SAVED, Ask.READY, Ask.CARRY_ON, Ask.MOVE_ON, Ask.SKIP})


_PERIODS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night"}


def _reminder_time(hhmm: str | None, period: str | None) -> int | None:
    """AMAZON.TIME ("19:00", "07:00", or "EV" for "evening") and a spoken period -> minutes
    after midnight."""
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
    return hour * 60 + minute


def _spoken_time(minutes: int) -> str:
    hour, minute = divmod(minutes, 60)
    suffix = "a m" if hour < 12 else "p m"
    hour12 = hour % 12 or 12
    return f"{hour12}{':' + format(minute, '02d') if minute else ''} {suffix}"
