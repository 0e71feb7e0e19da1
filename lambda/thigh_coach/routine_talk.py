"""Leading a routine hands-free: one step (one side, or part of one) per response.

Session keys: "rt" = [routine id, exercise index, step index], the step last presented;
"so" = a side the user asked for alone ("only the left side"). The profile keeps the place
(routine, [exercise, step]), the hold length, and the sore side, so a later session resumes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .content import Exercise, Routine
from .reply import Reply
from .speech import Speech
from .symptom_talk import join_names

if TYPE_CHECKING:
    from .timer import Cues, Step


def timer():
    """The timer module, loaded when a routine first needs it, not on every cold start."""
    from . import timer as module

    return module

ROUTINE, PAUSED = "routine", "paused"
_PLANS: dict[tuple, tuple] = {}  # plans by everything they depend on (see steps())
_MAX_PLANS = 1024


class RoutineTalk:
    """Mixed into Dialog."""

    # --- where we are ---------------------------------------------------------------------

    def _position(self) -> tuple[Routine, int, int] | None:
        rt = self.session.get("rt")
        if not (isinstance(rt, list) and len(rt) == 3 and rt[0] in self.content.routines
                and all(type(i) is int and i >= 0 for i in rt[1:])):
            return None
        routine = self.content.routines[rt[0]]
        if rt[1] >= len(routine.exercises):
            return None
        return routine, rt[1], rt[2]

    def _set_position(self, routine: Routine, exercise: int, step: int) -> None:
        self.session["rt"] = [routine.id, exercise, step]
        self.profile.routine = routine.id
        self.profile.place = [exercise, step]

    def _hold_for(self, routine: Routine, exercise: Exercise) -> int:
        if exercise.kind != "hold":
            return exercise.hold_s
        return timer().clamp_hold(self.profile.hold_s or routine.hold_s or exercise.hold_s)

    def _sides(self, exercise: Exercise) -> list[str | None]:
        if exercise.sides == "both":
            return [None]
        only = self.session.get("so")
        if only in ("left", "right"):
            return [only]
        first = self.profile.side if self.profile.side in ("left", "right") else "left"
        return [first, "right" if first == "left" else "left"]

    def _cues(self) -> Cues:
        t = self.t
        return timer().Cues(
            begin=t("cue_begin"), release=t("cue_release"),
            seconds_left=lambda n: t("cue_seconds_left", seconds=timer().number_words(n).capitalize()),
            rest=t("cue_rest"), keep_resting=t("cue_keep_resting"),
            rep=lambda i, n: t("cue_rep", step=timer().number_words(i), total=timer().number_words(n)),
            again=t("cue_again"), side=lambda side: t("cue_side", side=side.capitalize()))

    def steps(self, routine: Routine, index: int) -> tuple[Step, ...]:
        """The exercise's plan. A plan depends only on these inputs, and a turn may need it
        several times (and every exercise's, for the routine's length), so it is kept."""
        exercise = self.content.exercises[routine.exercises[index]]
        hold, sides = self._hold_for(routine, exercise), tuple(self._sides(exercise))
        key = (id(self.content), exercise.id, hold, sides, self.voice.locale_id, self.voice.who)
        if key not in _PLANS:
            if len(_PLANS) >= _MAX_PLANS:
                _PLANS.clear()
            words = self.voice.words
            plan = tuple(timer().plan(
                exercise, hold_s=hold, sides=sides, cues=self._cues(),
                setup=lambda side: [words(line, side=side or "") for line in exercise.setup],
                action=lambda side: words(exercise.action, side=side or ""),
                safety=words(exercise.safety)))
            # the entry keeps its content alive, so no other content can take over its id
            _PLANS[key] = (self.content, plan)
        return _PLANS[key][1]

    def in_routine(self) -> bool:
        return self.state in (ROUTINE, PAUSED) and self._position() is not None

    # --- starting, stepping -----------------------------------------------------------------

    def start_routine(self, routine_id: str | None) -> Reply:
        if routine_id not in self.content.routines:
            return self.present("routine_list")
        if not self.routine_safe():
            return self.present("menu", before=Speech().say(self.t("routine_unsafe")))
        routine = self.content.routines[routine_id]
        self.session.pop("so", None)
        self.state = ROUTINE
        self._set_position(routine, 0, 0)
        minutes = max(1, round(self.routine_seconds(routine) / 60))
        intro = Speech().say(self.t("routine_intro", routine=routine.name,
                                    count=timer().number_words(len(routine.exercises)),
                                    time=timer().number_words(minutes)))
        return self.present("step", before=intro)

    def routine_seconds(self, routine: Routine) -> float:
        return sum(step.seconds() for i in range(len(routine.exercises))
                   for step in self.steps(routine, i))

    def start_my_routine(self) -> Reply:
        """"Start my routine": carry on where the user stopped, or the routine last used."""
        routine_id = self.profile.routine
        if routine_id not in self.content.routines:
            return self.present("routine_list")
        if self.profile.place and self._place_valid(routine_id, self.profile.place):
            return self.resume_saved()
        return self.start_routine(routine_id)

    def _place_valid(self, routine_id: str, place: list[int]) -> bool:
        return 0 <= place[0] < len(self.content.routines[routine_id].exercises)

    def resume_saved(self) -> Reply:
        if not self.routine_safe():
            return self.present("menu", before=Speech().say(self.t("routine_unsafe")))
        routine = self.content.routines[self.profile.routine]
        exercise, step = self.profile.place
        step = min(step, len(self.steps(routine, exercise)) - 1)
        self.state = ROUTINE
        self._set_position(routine, exercise, step)
        return self.present("step")

    def next_step(self) -> Reply:
        position = self._position()
        if position is None or not self.in_routine():
            return self._no_routine()
        routine, exercise, step = position
        self.state = ROUTINE
        if step + 1 < len(self.steps(routine, exercise)):
            self._set_position(routine, exercise, step + 1)
            return self.present("step")
        return self._go_to_exercise(routine, exercise + 1)

    def _go_to_exercise(self, routine: Routine, index: int, before: Speech | None = None
                        ) -> Reply:
        if index >= len(routine.exercises):
            return self._finish(routine, before)
        self.state = ROUTINE
        self._set_position(routine, index, 0)
        return self.present("step", before=before)

    def _finish(self, routine: Routine, before: Speech | None) -> Reply:
        self.session.pop("rt", None)
        self.profile.place = None
        self.state = "home"
        speech = before or Speech()
        speech.say(self.t("routine_done", routine=routine.name), self.t("what_else"))
        self.session["last"] = ["menu"]
        return Reply.ask(speech, self.t("menu_reprompt"), screen=self._screen_done(routine))

    def _show_step(self) -> Reply:
        position = self._position()
        if position is None:
            return self._no_routine()
        routine, index, step_index = position
        steps = self.steps(routine, index)
        step_index = min(step_index, len(steps) - 1)
        step = steps[step_index]
        exercise = self.content.exercises[routine.exercises[index]]
        speech = Speech()
        if step_index == 0:
            speech.say(exercise.name[0].upper() + exercise.name[1:] + ".")
        speech.extend(step.speech())
        if step_index + 1 < len(steps):
            following = steps[step_index + 1]
            question = (self.t("ask_side", side=following.side)
                        if following.side != step.side else self.t("ask_continue"))
            speech.say(question)
        elif index + 1 < len(routine.exercises):
            upcoming = self.content.exercises[routine.exercises[index + 1]]
            speech.say(self.t("exercise_done", exercise=exercise.name),
                       self.t("ask_next", exercise=upcoming.name))
        else:
            speech.say(self.t("exercise_done", exercise=exercise.name), self.t("ask_continue"))
        return Reply.ask(speech, self.t("continue_reprompt"),
                         screen=self._screen(routine, index, step, exercise))

    def _screen(self, routine: Routine, index: int, step: Step, exercise: Exercise) -> dict:
        hold = self._hold_for(routine, exercise) if exercise.kind == "hold" else 0
        return {
            "name": exercise.name[0].upper() + exercise.name[1:],
            "side": (self.t("side_named", side=step.side.capitalize()) if step.side
                     else self.t("both_legs").capitalize()),
            "step": f"{index + 1} / {len(routine.exercises)}",
            "hold_s": hold,
            "start_ms": round(step.hold_offset_s() * 1000),
        }

    def _screen_done(self, routine: Routine) -> dict:
        return {"name": routine.name[0].upper() + routine.name[1:], "side": "",
                "step": "", "hold_s": 0, "start_ms": 0}

    # --- controls ---------------------------------------------------------------------------

    def previous_exercise(self) -> Reply:
        position = self._position()
        if position is None or not self.in_routine():
            return self._no_routine()
        routine, index, _ = position
        target = max(0, index - 1)
        name = self.content.exercises[routine.exercises[target]].name
        return self._go_to_exercise(routine, target, Speech().say(self.t("back_to", exercise=name)))

    def repeat_exercise(self) -> Reply:
        position = self._position()
        if position is None:
            return self._no_routine()
        routine, index, _ = position
        return self._go_to_exercise(routine, index)

    def skip(self) -> Reply:
        position = self._position()
        if position is None or not self.in_routine():
            return self._no_routine()
        routine, index, _ = position
        name = self.content.exercises[routine.exercises[index]].name
        return self._go_to_exercise(routine, index + 1,
                                    Speech().say(self.t("skipping", exercise=name)))

    def start_over(self) -> Reply:
        if self.state in ("triage", "result"):
            return self.check_symptoms()
        position = self._position()
        if position is None:
            return self._no_routine()
        routine = position[0]
        return self._go_to_exercise(routine, 0, Speech().say(self.t("start_over",
                                                                    routine=routine.name)))

    def pause(self) -> Reply:
        position = self._position()
        if position is None:
            return self._no_routine()
        routine, index, _ = position
        self.state = PAUSED
        return self.present("paused", routine.exercises[index])

    def _show_paused(self, exercise_id: str) -> Reply:
        name = self.content.exercises[exercise_id].name
        return Reply.ask(Speech().say(self.t("paused", exercise=name)),
                         self.t("paused_reprompt"))

    def resume(self) -> Reply:
        if self._position() is not None:
            self.state = ROUTINE
            return self.present("step")
        if self.profile.routine in self.content.routines and self.profile.place \
                and self._place_valid(self.profile.routine, self.profile.place):
            return self.resume_saved()
        return self._no_routine()

    def which_exercise(self) -> Reply:
        position = self._position()
        if position is None:
            return self._no_routine()
        routine, index, step_index = position
        steps = self.steps(routine, index)
        step = steps[min(step_index, len(steps) - 1)]
        exercise = self.content.exercises[routine.exercises[index]]
        side = (self.t("side_named", side=step.side) if step.side else self.t("both_legs"))
        return self._aside(self.t("which_exercise", exercise=exercise.name, side=side,
                                  step=timer().number_words(index + 1),
                                  total=timer().number_words(len(routine.exercises))))

    def how_many_left(self) -> Reply:
        position = self._position()
        if position is None:
            return self._no_routine()
        routine, index, _ = position
        rest = [self.content.exercises[e].name for e in routine.exercises[index + 1:]]
        if not rest:
            return self._aside(self.t("left_none"))
        return self._aside(self.t("left_some", count=timer().number_words(len(rest)),
                                  names=join_names(rest)))

    def _aside(self, text: str) -> Reply:
        """An answer in the middle of a routine: then back to "ready to go on?"."""
        return Reply.ask(Speech().say(text, self.t("ask_continue")), self.t("continue_reprompt"))

    def painful(self) -> Reply:
        if self._position() is None:
            return self.present("menu", before=Speech().say(self.t("try_gently")))
        self.state = PAUSED
        return self.present("pain")

    def _show_pain(self) -> Reply:
        self.session["offer"] = ["skip"]
        return Reply.ask(Speech().say(self.t("pain")), self.t("pain_reprompt"))

    def try_again_gently(self) -> Reply:
        position = self._position()
        if position is None:
            return self._no_routine()
        self.state = ROUTINE
        return self.present("step", before=Speech().say(self.t("try_gently")))

    def change_hold(self, *, seconds: int | None = None, delta: int = 0) -> Reply:
        current = self.profile.hold_s
        if current is None:
            position = self._position()
            routine = position[0] if position else None
            current = (routine.hold_s if routine and routine.hold_s else 30)
        wanted = seconds if seconds is not None else current + delta
        new = timer().clamp_hold(wanted)
        self.profile.hold_s = new
        speech = Speech()
        if new != wanted:
            speech.say(self.t("hold_limit"))
        speech.say(self.t("hold_now", seconds=timer().number_words(new)))
        position = self._position()
        if position is not None:
            exercise = self.content.exercises[position[0].exercises[position[1]]]
            if exercise.kind != "hold":
                speech.say(self.t("hold_not_held"))
            if self.in_routine():
                speech.say(self.t("ask_continue"))
                return Reply.ask(speech, self.t("continue_reprompt"))
        speech.say(self.t("what_else"))
        return Reply.ask(speech, self.t("menu_reprompt"))

    def choose_side(self, side: str | None, only: bool = False) -> Reply:
        speech = Speech()
        if side in ("left", "right"):
            self.profile.side = side
            if only:
                self.session["so"] = side
                speech.say(self.t("side_only", side=side))
            else:
                self.session.pop("so", None)
                speech.say(self.t("side_first", side=side))
        else:
            self.session.pop("so", None)
            speech.say(self.t("side_both"))
        position = self._position()
        if position is not None and self.in_routine():
            routine, index, _ = position
            return self._go_to_exercise(routine, index, speech)  # the exercise again, new sides
        speech.say(self.t("what_else"))
        return Reply.ask(speech, self.t("menu_reprompt"))

    def stop_routine(self) -> Reply:
        position = self._position()
        routine, index, _ = position
        name = self.content.exercises[routine.exercises[index]].name
        self.session.pop("rt", None)
        self.state = "home"
        return Reply.tell(Speech().say(self.t("routine_stopped", exercise=name)))

    def leave_routine(self) -> None:
        """Something else takes over (a red flag, the symptom check): the place stays saved."""
        if self.state in (ROUTINE, PAUSED):
            self.session.pop("rt", None)
            self.state = "home"

    def _no_routine(self) -> Reply:
        return self.present("routine_list", before=Speech().say(self.t("no_routine")))

    def _show_routine_list(self) -> Reply:
        names = join_names([f"the {r.name}" for r in self.content.routines.values()])
        return Reply.ask(Speech().say(self.t("routine_list", names=names)),
                         self.t("routine_list_reprompt"))

    def _show_resume_offer(self) -> Reply:
        routine = self.content.routines[self.profile.routine]
        exercise = self.content.exercises[routine.exercises[self.profile.place[0]]]
        self.session["offer"] = ["resume"]
        return Reply.ask(Speech().say(self.t("resume_offer", exercise=exercise.name)),
                         self.t("resume_reprompt", routine=routine.name))
