"""Leading a routine hands-free: one step (one side, or part of one) per response.

The conversation state keeps the step last presented (`place`) and a side asked for alone;
the profile keeps the place too, with the hold length and the side to start with, so a later
session resumes where this one stopped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .content import CHAIR_ROUTINE, Exercise, Routine
from .drawing import avg
from .reply import Reply
from .speech import Speech
from .state import Ask, Mode, RoutinePlace, Signal
from .talk import Show, Turn, join_names, join_or, list_page

if TYPE_CHECKING:
    from types import ModuleType

    from .timer import Cues, Step


def timer() -> ModuleType:
    """The timer module, loaded when a routine first needs it, not on every cold start."""
    from . import timer as module

    return module


_PLANS: dict[tuple, tuple] = {}  # plans by everything they depend on (see steps())
_MAX_PLANS = 1024
Position = tuple[Routine, int, int]  # routine, exercise index, step index
SAVED = "saved"  # what the screen was asked before: the place saved in an earlier session


SIDE_CODES: tuple[str | None, ...] = (None, "left", "right")  # a stored place's side


def _step_of(steps: tuple[Step, ...], side: str | None, reps_done: int) -> int:
    """The step to go on from, in this plan: the first on `side` holding a repetition not
    yet done (its setup, if none was done), so no hold is skipped whatever the hold length."""
    on_side = [j for j, step in enumerate(steps) if step.side == side] or list(range(len(steps)))
    for j in on_side:
        if reps_done == 0 or steps[j].last_rep > reps_done:
            return j
    return on_side[-1]


class RoutineCoach:
    def __init__(self, turn: Turn) -> None:
        self.turn = turn

    def shows(self) -> dict[str, Show]:
        return {"step": self.show_step, "paused": self.show_paused,
                "routine_list": self.show_routine_list, "resume_offer": self.show_resume_offer,
                "stop_today": self.show_stop_today, "skip_offer": self.show_skip_offer,
                "pain_kind": self.show_pain_kind, "move_on": self.show_move_on,
                "refused": self.show_refused, "screen": self.show_screen,
                "chair_offer": self.show_chair_offer}

    # --- where we are ---------------------------------------------------------------------

    def position(self) -> Position | None:
        place = self.turn.state.place
        if place is None:
            return None
        return self.turn.content.routines[place.routine], place.exercise, place.step

    def _set_position(self, routine: Routine, exercise: int, step: int) -> None:
        self.turn.state.place = RoutinePlace(routine.id, exercise, step)
        self.turn.profile.routine = routine.id
        # stored without step numbers, which a new hold length changes: the side under way
        # and the repetitions of it done before this step
        steps = self.steps(routine, exercise)
        current = steps[min(step, len(steps) - 1)]
        self.turn.profile.place = [exercise, SIDE_CODES.index(current.side),
                                   max(current.first_rep - 1, 0)]

    @property
    def active(self) -> bool:
        """A routine is under way (running or paused), not merely interrupted."""
        return self.turn.state.mode in (Mode.ROUTINE, Mode.PAUSED) \
            and self.turn.state.place is not None

    def _hold_for(self, routine: Routine, exercise: Exercise) -> int:
        if exercise.kind != "hold":
            return exercise.hold_s
        held: int = timer().clamp_hold(self.turn.profile.hold_s or routine.hold_s
                                       or exercise.hold_s)
        return max(held, routine.min_hold_s or 0)

    def _sides(self, exercise: Exercise) -> list[str | None]:
        if exercise.sides == "both":
            return [None]
        only = self.turn.state.only_side
        if only is not None:
            return [only]
        first = self.turn.profile.side if self.turn.profile.side in ("left", "right") else "left"
        return [first, "right" if first == "left" else "left"]

    def _cues(self) -> Cues:
        t, tm = self.turn.t, timer()
        return tm.Cues(
            begin=t("cue_begin"), release=t("cue_release"),
            seconds_left=lambda n: t("cue_seconds_left", seconds=tm.number_words(n).capitalize()),
            rest=t("cue_rest"), keep_resting=t("cue_keep_resting"),
            rep=lambda i, n: t("cue_rep", step=tm.number_words(i), total=tm.number_words(n)),
            again=t("cue_again"), side=lambda side: t("cue_side", side=side.capitalize()),
            chimes=self.chimes)

    @property
    def chimes(self) -> bool:
        """A chime starts and ends each hold unless the user said "no sounds"."""
        return self.turn.profile.sounds is not False

    def steps(self, routine: Routine, index: int) -> tuple[Step, ...]:
        """The exercise's plan. A plan depends only on these inputs, and a turn may need it
        several times (and every exercise's, for the routine's length), so it is kept."""
        exercise = self.turn.content.exercises[routine.exercises[index]]
        hold, sides = self._hold_for(routine, exercise), tuple(self._sides(exercise))
        voice = self.turn.voice
        key = (id(self.turn.content), exercise.id, hold, sides, voice.locale_id, voice.who,
               self.chimes)
        if key not in _PLANS:
            if len(_PLANS) >= _MAX_PLANS:
                _PLANS.clear()
            words = voice.words
            plan = tuple(timer().plan(
                exercise, hold_s=hold, sides=sides, cues=self._cues(),
                setup=lambda side: [words(line, side=side or "") for line in exercise.setup],
                action=lambda side: words(exercise.action, side=side or ""),
                safety=words(exercise.safety)))
            # the entry keeps its content alive, so no other content can take over its id
            _PLANS[key] = (self.turn.content, plan)
        steps: tuple[Step, ...] = _PLANS[key][1]
        return steps

    def routine_seconds(self, routine: Routine) -> float:
        return sum(step.seconds() for i in range(len(routine.exercises))
                   for step in self.steps(routine, i))

    def _allowed(self, routine: Routine, index: int) -> bool:
        """After nerve symptoms, no exercise that tensions the sciatic nerve this session."""
        exercise = self.turn.content.exercises[routine.exercises[index]]
        return not (self.turn.state.nerve and exercise.tensions_nerve)

    def _allowed_from(self, routine: Routine, index: int, step: int = 1) -> int | None:
        """The first exercise at or after `index` (at or before it, step -1) this session
        allows, or None."""
        while 0 <= index < len(routine.exercises):
            if self._allowed(routine, index):
                return index
            index += step
        return None

    def _after(self, routine: Routine, exercise: int, step: int) -> tuple[int, int] | None:
        """The step after this one (exercise, step), or None at the routine's end."""
        if step + 1 < len(self.steps(routine, exercise)) and self._allowed(routine, exercise):
            return exercise, step + 1
        following = self._allowed_from(routine, exercise + 1)
        return None if following is None else (following, 0)

    def _upcoming(self, routine: Routine, index: int) -> Exercise | None:
        """The exercise that comes after this one, if any."""
        following = self._allowed_from(routine, index + 1)
        return None if following is None \
            else self.turn.content.exercises[routine.exercises[following]]

    # --- starting ---------------------------------------------------------------------------

    def start(self, routine_id: str | None) -> Reply:
        if not self.turn.state.safe_for_routine:
            return self.turn.present("refused")
        if routine_id is None or routine_id not in self.turn.content.routines:
            return self.turn.present("routine_list")
        routine = self.turn.content.routines[routine_id]
        first = self._allowed_from(routine, 0)
        if first is None:  # every exercise of it tensions the nerve, after nerve symptoms
            return self.turn.close(Speech().say(self.turn.t("nerve_routine_unsuitable",
                                                            routine=routine.name)))
        screen = self._screen_first(routine.id)
        if isinstance(screen, Reply):
            return screen
        self.turn.state.only_side = None
        self.turn.state.mode = Mode.ROUTINE
        self._set_position(routine, first, 0)
        tm = timer()
        minutes = max(1, round(self.routine_seconds(routine) / 60))
        intro = screen.say(self.turn.t("routine_intro", routine=routine.name,
                                         count=tm.number_words(len(routine.exercises)),
                                         time=tm.number_words(minutes)))
        chosen = self.turn.profile.hold_s
        if chosen is not None and routine.hold_s is not None:  # its holds, changed: say so
            held = max(tm.clamp_hold(chosen), routine.min_hold_s or 0)
            intro.say(self.turn.t("hold_chosen", seconds=tm.number_words(held)))
        if any(self.turn.content.exercises[e].position == "floor" for e in routine.exercises):
            intro.say(self.turn.t("floor_hint"))
        return self.turn.present("step", before=intro)

    def offer_chair(self) -> Reply:
        """"I can't get down to the floor": the routine done sitting on a chair."""
        position = self.position()
        if self.active and position is not None and position[0].id == CHAIR_ROUTINE:
            return self.aside(Speech().say(self.turn.t("chair_already")))
        self.interrupt()
        return self.turn.present("chair_offer")

    def show_chair_offer(self) -> Reply:
        if not self.turn.state.safe_for_routine:
            return self.show_refused()
        return Reply.ask(Speech().say(self.turn.t("chair_offer")),
                         self.turn.t("chair_offer_reprompt"), asks=Ask.START_ROUTINE,
                         about=CHAIR_ROUTINE)

    def start_mine(self) -> Reply:
        """"Start my routine": carry on where the user stopped, or the routine last used."""
        if self.saved_place() is not None:
            return self.resume_saved()
        return self.start(self.turn.profile.routine)

    def saved_place(self) -> tuple[Routine, int, int] | None:
        """The place stored by an earlier session, if it still fits the content."""
        profile, routines = self.turn.profile, self.turn.content.routines
        if profile.routine is None or profile.routine not in routines or not profile.place:
            return None
        routine = routines[profile.routine]
        exercise = profile.place[0]
        if not 0 <= exercise < len(routine.exercises):
            return None
        steps = self.steps(routine, exercise)
        if len(profile.place) == 2:  # stored before places were kept without step numbers
            return routine, exercise, min(profile.place[1], len(steps) - 1)
        side = SIDE_CODES[min(profile.place[1], len(SIDE_CODES) - 1)]
        return routine, exercise, _step_of(steps, side, profile.place[2])

    def forget_saved_place(self) -> None:
        """They'd rather not continue: the next session starts fresh."""
        self.turn.profile.place = None

    def resume_saved(self) -> Reply:
        if not self.turn.state.safe_for_routine:
            return self.turn.present("refused")
        saved = self.saved_place()
        if saved is None:
            return self.no_routine()
        screen = self._screen_first(SAVED)
        if isinstance(screen, Reply):
            return screen
        self.turn.state.mode = Mode.ROUTINE
        self._set_position(*saved)
        routine, index, step = saved
        steps = self.steps(routine, index)
        side = steps[step].side
        if side is not None and step > 0 and steps[step - 1].side == side:  # mid-side
            screen.say(self.turn.t("cue_side", side=side.capitalize()))
        return self.turn.present("step", before=screen if screen else None)

    # --- the safety screen: once a session, before the first routine, unless a check was
    # completed (docs/clinical-reference.md, "Before a routine") ------------------------------

    def _screen_first(self, then: str) -> Reply | Speech:
        """The screen's question (a Reply), or what to say before the routine (a Speech:
        nothing once screened; in read-aloud mode, the screen as a statement)."""
        state = self.turn.state
        if state.screened:
            return Speech()
        if self.turn.read_aloud:  # no question about the body: what to do, said once
            state.screened = True
            return Speech().say(self.turn.t("screen_read_aloud"))
        return self.turn.present("screen", then)

    def show_screen(self, then: str) -> Reply:
        return Reply.ask(Speech().say(self.turn.t("screen_question")),
                         self.turn.t("screen_reprompt"), asks=Ask.SCREEN, about=then)

    def screen_passed(self, then: str | None) -> Reply:
        """"No" to the screen: the routine it was asked before."""
        self.turn.state.screened = True
        if then == SAVED:
            return self.resume_saved()
        return self.start(then)

    def screened_out(self) -> Reply:
        """"Yes" or "not sure" to the screen: no routine today, and why; a check offered."""
        self.turn.state.remember(Signal.SCREENED_OUT)
        self.turn.state.mode = Mode.HOME
        return Reply.ask(Speech().say(self.turn.t("screen_stop")), self.turn.t("offer_check"),
                         asks=Ask.START_CHECK)

    def resume(self) -> Reply:
        """Carry on: the step that was under way (this session), else the saved place."""
        if not self.turn.state.safe_for_routine:
            return self.turn.present("refused")
        if self.turn.state.place is not None:
            self.turn.state.mode = Mode.ROUTINE
            return self.turn.present("step")
        return self.resume_saved()

    # --- stepping ---------------------------------------------------------------------------

    def next_step(self) -> Reply:
        position = self.position()
        if position is None or not self.active:
            return self.no_routine()
        routine, exercise, step = position
        after = self._after(routine, exercise, step)
        if after is None:
            return self._finish(routine)
        self.turn.state.mode = Mode.ROUTINE
        self._set_position(routine, *after)
        return self.turn.present("step")

    def not_ready(self) -> Reply:
        """"No" to "ready to go on?": the step was done, so the place moves past it."""
        position = self.position()
        if position is None:
            return self.no_routine()
        routine, exercise, step = position
        after = self._after(routine, exercise, step)
        if after is None:
            return self._finish(routine)
        self._set_position(routine, *after)
        self.turn.state.mode = Mode.PAUSED
        return self.turn.present("stop_today")

    def show_stop_today(self) -> Reply:
        return Reply.ask(Speech().say(self.turn.t("stop_today")),
                         self.turn.t("stop_today_reprompt"), asks=Ask.STOP_FOR_TODAY)

    def go_to_exercise(self, routine: Routine, index: int, before: Speech | None = None
                       ) -> Reply:
        allowed = self._allowed_from(routine, index)
        if allowed is None:
            return self._finish(routine, before)
        index = allowed
        self.turn.state.mode = Mode.ROUTINE
        self._set_position(routine, index, 0)
        return self.turn.present("step", before=before)

    def _finish(self, routine: Routine, before: Speech | None = None) -> Reply:
        self.turn.state.place = None
        self.turn.profile.place = None
        self.turn.state.mode = Mode.HOME
        speech = before or Speech()
        speech.say(self.turn.t("routine_done", routine=routine.name),
                   self.turn.words(routine.frequency))
        reply = self.turn.close(speech)
        reply.screen = self._screen_done(routine)
        return reply

    def show_step(self) -> Reply:
        position = self.position()
        if position is None:
            return self.no_routine()
        routine, index, step_index = position
        if not self._allowed(routine, index):  # a place left from before nerve symptoms
            return self.go_to_exercise(routine, index)
        steps = self.steps(routine, index)
        step_index = min(step_index, len(steps) - 1)
        step = steps[step_index]
        exercise = self.turn.content.exercises[routine.exercises[index]]
        t = self.turn.t
        speech = Speech()
        if step_index == 0:
            speech.say(exercise.name[0].upper() + exercise.name[1:] + ".")
        speech.extend(step.speech())
        if step_index + 1 < len(steps):
            following = steps[step_index + 1]
            speech.say(t("ask_side", side=following.side) if following.side != step.side
                       else t("ask_begin") if step.last_rep < step.first_rep
                       else t("ask_continue"))
        elif (upcoming := self._upcoming(routine, index)) is not None:
            speech.say(t("exercise_done", exercise=exercise.name),
                       t("ask_next", exercise=upcoming.name))
        else:
            speech.say(t("exercise_done", exercise=exercise.name), t("ask_continue"))
        return Reply.ask(speech, t("continue_reprompt"), asks=Ask.READY,
                         screen=self._screen(routine, index, step, exercise))

    def _screen(self, routine: Routine, index: int, step: Step, exercise: Exercise
                ) -> dict[str, Any]:
        # every hold the step speaks, counted down in turn: when its "begin" is said
        # (ms into the speech) and how long it lasts; hold_s and start_ms: the first one
        # (an exercise's first step, after its name, is its setup: it holds nothing)
        name = exercise.name[0].upper() + exercise.name[1:]
        holds = [{"start_ms": round(at * 1000), "hold_s": length} for at, length in step.holds()]
        first = holds[0] if holds else {"start_ms": 0, "hold_s": 0}
        # getting set: the start position; from the first hold or count: the end position.
        # The drawing shows the right side; the left is the same figure mirrored.
        position = "start" if step.last_rep < step.first_rep else "end"
        return {
            "picture": avg(exercise.drawing, position, mirrored=step.side == "left"),
            "hasPicture": True,
            "pictureLabel": self.turn.t(f"picture_{position}", exercise=name),
            "kind": "exercise",
            "name": name,
            "side": (self.turn.t("side_named", side=step.side.capitalize()) if step.side
                     else self.turn.t("both_legs").capitalize()),
            "step": f"{index + 1} / {len(routine.exercises)}",
            "hold_s": first["hold_s"],
            "start_ms": first["start_ms"],
            "holds": holds,
        }

    def _screen_done(self, routine: Routine) -> dict[str, Any]:
        return {"kind": "exercise", "name": routine.name[0].upper() + routine.name[1:],
                "side": "", "step": "", "hold_s": 0, "start_ms": 0, "holds": [],
                "hasPicture": False, "pictureLabel": ""}

    # --- controls ---------------------------------------------------------------------------

    def previous_exercise(self) -> Reply:
        position = self.position()
        if position is None or not self.active:
            return self.no_routine()
        routine, index, _ = position
        target = self._allowed_from(routine, index - 1, -1)
        if target is None:  # nothing allowed before it: the first the session allows
            target = self._allowed_from(routine, 0)
        if target is None:
            return self._finish(routine)
        name = self.turn.content.exercises[routine.exercises[target]].name
        return self.go_to_exercise(routine, target,
                                   Speech().say(self.turn.t("back_to", exercise=name)))

    def repeat_side(self) -> Reply:
        """"Repeat" mid-routine: the side under way again from its start, not the exercise."""
        position = self.position()
        if position is None:
            return self.no_routine()
        routine, index, step_index = position
        steps = self.steps(routine, index)
        step_index = min(step_index, len(steps) - 1)
        side = steps[step_index].side
        first = next(i for i, s in enumerate(steps) if s.side == side)
        self.turn.state.mode = Mode.ROUTINE
        self._set_position(routine, index, first)
        return self.turn.present("step")

    def skip(self) -> Reply:
        position = self.position()
        if position is None or not self.active:
            return self.no_routine()
        routine, index, _ = position
        name = self.turn.content.exercises[routine.exercises[index]].name
        return self.go_to_exercise(routine, index + 1,
                                   Speech().say(self.turn.t("skipping", exercise=name)))

    def start_over(self) -> Reply:
        position = self.position()
        if position is None or not self.active:
            return self.no_routine()
        routine = position[0]
        return self.go_to_exercise(routine, 0, Speech().say(
            self.turn.t("start_over", routine=routine.name)))

    def pause(self) -> Reply:
        position = self.position()
        if position is None or not self.active:
            return self.no_routine()
        routine, index, _ = position
        self.turn.state.mode = Mode.PAUSED
        return self.turn.present("paused", routine.exercises[index])

    def show_paused(self, exercise_id: str) -> Reply:
        name = self.turn.content.exercises[exercise_id].name
        return Reply.ask(Speech().say(self.turn.t("paused", exercise=name)),
                         self.turn.t("paused_reprompt"), asks=Ask.CARRY_ON)

    def which_exercise(self) -> Reply:
        position = self.position()
        if position is None or not self.active:
            return self.no_routine()
        routine, index, step_index = position
        steps = self.steps(routine, index)
        step = steps[min(step_index, len(steps) - 1)]
        exercise = self.turn.content.exercises[routine.exercises[index]]
        t, tm = self.turn.t, timer()
        side = t("side_named", side=step.side) if step.side else t("both_legs")
        return self.aside(Speech().say(t("which_exercise", exercise=exercise.name, side=side,
                                         step=tm.number_words(index + 1),
                                         total=tm.number_words(len(routine.exercises)))))

    def how_many_left(self) -> Reply:
        position = self.position()
        if position is None or not self.active:
            return self.no_routine()
        routine, index, _ = position
        rest = [self.turn.content.exercises[e].name
                for i, e in enumerate(routine.exercises) if i > index and self._allowed(routine, i)]
        if not rest:
            return self.aside(Speech().say(self.turn.t("left_none")))
        return self.aside(Speech().say(self.turn.t(
            "left_some", count=timer().number_words(len(rest)), names=join_names(rest))))

    def aside(self, speech: Speech) -> Reply:
        """An answer in the middle of a routine, then back to "ready to go on?" (not kept for
        "repeat", which mid-routine replays the side under way)."""
        return Reply.ask(speech.say(self.turn.t("ask_continue")),
                         self.turn.t("continue_reprompt"), asks=Ask.READY)

    # --- pain -------------------------------------------------------------------------------

    def painful(self) -> Reply:
        """"It hurts" mid-routine: ease off, and offer to skip the exercise."""
        self.turn.state.mode = Mode.PAUSED
        return self.turn.present("skip_offer")

    def show_skip_offer(self) -> Reply:
        return Reply.ask(Speech().say(self.turn.t("pain")), self.turn.t("pain_reprompt"),
                         asks=Ask.SKIP)

    def keep_hurting_exercise(self) -> Reply:
        """"No" to skipping it: the exercise stops anyway, and the pain is asked about (read
        aloud: what to do if it was sharp or shooting, without asking)."""
        self.turn.state.mode = Mode.PAUSED
        if self.turn.read_aloud:
            return self.offer_move_on(Speech().say(self.turn.t("pain_stop_anyway"),
                                                   self.turn.t("pain_kind_read_aloud")))
        return self.turn.present("pain_kind", before=Speech().say(self.turn.t("pain_stop_anyway")))

    def show_pain_kind(self) -> Reply:
        return Reply.ask(Speech().say(self.turn.t("pain_kind")),
                         self.turn.t("pain_kind_reprompt"), asks=Ask.PAIN_SHARP)

    def offer_move_on(self, before: Speech | None = None) -> Reply:
        self.turn.state.mode = Mode.PAUSED
        return self.turn.present("move_on", before=before)

    def show_move_on(self) -> Reply:
        position = self.position()
        if position is None:
            return self.no_routine()
        routine, index, _ = position
        upcoming = self._upcoming(routine, index)
        if upcoming is None:
            return Reply.ask(Speech().say(self.turn.t("move_on_last")),
                             self.turn.t("move_on_last_reprompt"), asks=Ask.MOVE_ON)
        return Reply.ask(Speech().say(self.turn.t("move_on", exercise=upcoming.name)),
                         self.turn.t("move_on_reprompt", exercise=upcoming.name),
                         asks=Ask.MOVE_ON)

    def move_on(self) -> Reply:
        position = self.position()
        if position is None:
            return self.no_routine()
        routine, index, _ = position
        return self.go_to_exercise(routine, index + 1)

    def stop_after_exercise(self) -> Reply:
        """Stop for today; next time starts at the exercise after the one that hurt."""
        position = self.position()
        if position is None:
            return self.no_routine()
        routine, index, _ = position
        following = self._allowed_from(routine, index + 1)
        if following is not None:
            self._set_position(routine, following, 0)
        else:
            self.turn.profile.place = None
        return self.stop()

    # --- preferences ------------------------------------------------------------------------

    def change_hold(self, *, seconds: int | None = None, delta: int = 0) -> Reply:
        tm = timer()
        position = self.position()
        current = self.turn.profile.hold_s
        if current is None:
            routine = position[0] if position else None
            current = routine.hold_s if routine and routine.hold_s else 30
        wanted = seconds if seconds is not None else current + delta
        new: int = tm.clamp_hold(wanted)
        done = self._done(position) if position is not None and self.active else None
        self.turn.profile.hold_s = new
        speech = Speech()
        if new != wanted:
            speech.say(self.turn.t("hold_limit"))
        speech.say(self.turn.t("hold_now", seconds=tm.number_words(new)))
        if position is not None and done is not None:
            routine, index, _ = position
            exercise = self.turn.content.exercises[routine.exercises[index]]
            if exercise.kind != "hold":
                speech.say(self.turn.t("hold_not_held"))
                return self.aside(speech)
            return self._carry_on_with_new_holds(routine, index, done, speech)
        return self.turn.close(speech)

    def set_sounds(self, on: bool) -> Reply:
        """"No sounds", "sounds on": kept as a preference. Steps are packed the same either
        way (timer._pack), so the place under way stays where it is."""
        self.turn.profile.sounds = on
        speech = Speech().say(self.turn.t("sounds_on" if on else "sounds_off"))
        return self.aside(speech) if self.active else self.turn.close(speech)

    def _done(self, position: Position) -> tuple[str | None, int]:
        """The side under way and the repetitions of it done, in plan-free terms: a new hold
        length packs repetitions into steps differently, so a step number would move."""
        routine, index, step_index = position
        steps = self.steps(routine, index)
        step = steps[min(step_index, len(steps) - 1)]
        return step.side, max(step.last_rep, 0)

    def _carry_on_with_new_holds(self, routine: Routine, index: int,
                                 done: tuple[str | None, int], speech: Speech) -> Reply:
        """After a hold change mid-exercise, go on from the first repetition not yet done,
        with the new holds: no hold and no side is skipped (one may be done again, where
        the new plan packs it with the next)."""
        side, reps_done = done
        self.turn.state.mode = Mode.ROUTINE
        steps = self.steps(routine, index)
        sides = [s.side for s in steps]
        start = sides.index(side) if side in sides else 0
        for j in range(start, len(steps)):
            # a repetition not yet done on the side under way, or (that side done) the next
            # side's first step
            if steps[j].last_rep > reps_done or (steps[j].side != side and j > start):
                self._set_position(routine, index, j)
                return self.turn.present("step", before=speech)
        # the exercise is done: on from its last step, as before the change
        self._set_position(routine, index, len(steps) - 1)
        return self.aside(speech)

    def choose_side(self, side: str | None, only: bool = False) -> Reply:
        speech = Speech()
        state = self.turn.state
        if side == "left" or side == "right":
            self.turn.profile.side = side
            state.only_side = ("left" if side == "left" else "right") if only else None
            speech.say(self.turn.t("side_only" if only else "side_first", side=side))
        else:
            state.only_side = None
            speech.say(self.turn.t("side_both"))
        position = self.position()
        if position is not None and self.active:
            routine, index, _ = position
            return self.go_to_exercise(routine, index, speech)  # the exercise again, new sides
        return self.turn.close(speech)

    # --- leaving ----------------------------------------------------------------------------

    def stop(self) -> Reply:
        """End the session; the place stays saved for next time."""
        position = self.position()
        self.turn.state.mode = Mode.HOME
        if position is None:
            return Reply.tell(Speech().say(self.turn.t("goodbye")))
        routine, index, _ = position
        name = self.turn.content.exercises[routine.exercises[index]].name
        self.turn.state.place = None
        reply = Reply.tell(Speech().say(self.turn.t("routine_stopped", exercise=name)))
        reply.unsaved = Speech().say(self.turn.t("routine_stopped_unsaved", exercise=name))
        return reply

    def interrupt(self) -> None:
        """Something else takes over for a while; "shall we go back to it?" comes after."""
        if self.turn.state.mode in (Mode.ROUTINE, Mode.PAUSED):
            self.turn.state.mode = Mode.HOME

    def abandon(self) -> None:
        """A warning sign: this session's routine ends (the place stays saved for later)."""
        self.interrupt()
        self.turn.state.place = None

    def no_routine(self) -> Reply:
        speech = Speech().say(self.turn.t("no_routine"))
        if not self.turn.state.safe_for_routine:
            return self.turn.close(speech)
        return self.turn.present("routine_list", before=speech)

    def list_routines(self, page: int = 0) -> Reply:
        return self.turn.present("routine_list", page)

    def show_routine_list(self, page: int = 0) -> Reply:
        if not self.turn.state.safe_for_routine:
            return self.show_refused()
        names, page, more = list_page([f"the {r.name}" for r in self.turn.content.routines.values()],
                                      page)
        speech = Speech().say(self.turn.t("routine_list", names=join_or(names)))
        if more:
            speech.say(self.turn.t("list_more"))
        return Reply.ask(speech.say(self.turn.t("which_one")),
                         self.turn.t("routine_list_reprompt"), asks=Ask.WHICH_ROUTINE,
                         about=page)

    def show_refused(self) -> Reply:
        """One plain reason why no routine now (the session's safety memory)."""
        signal = self.turn.state.signal
        reason = self.turn.t(f"routine_refused_{signal}" if signal else "routine_unsafe")
        return self.turn.close(Speech().say(reason))

    def show_resume_offer(self) -> Reply:
        saved = self.saved_place()
        if saved is None:
            return self.turn.close(Speech())
        routine, exercise, _ = saved
        name = self.turn.content.exercises[routine.exercises[exercise]].name
        return Reply.ask(Speech().say(self.turn.t("resume_safety"),
                                      self.turn.t("resume_question")),
                         self.turn.t("resume_reprompt", exercise=name),
                         asks=Ask.RESUME_SAVED)
