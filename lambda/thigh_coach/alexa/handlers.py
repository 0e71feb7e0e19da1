"""Request handlers: each one turns a request into one call on the Dialog or on the part of
it that owns the request (`d.coach`, the routine coach; `d.safety`, safety advice).

Intents are routed by a table, so adding an intent is its patterns in the model, one line
here and the part's method; a test checks that every intent of every model has a route.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model.ui import Reprompt

from ..dialog import Dialog
from ..reply import Reply
from ..speech import Speech, speak
from .slots import SlotValue, read_slots
from .turn import dialog, respond, save_at_session_end

log = logging.getLogger(__name__)

Route = Callable[[Dialog, dict[str, SlotValue]], Reply]


def _slot_id(slots: dict[str, SlotValue], name: str) -> str | None:
    slot = slots.get(name)
    return slot.id if slot else None


def _heard(slots: dict[str, SlotValue], name: str) -> str | None:
    slot = slots.get(name)
    return slot.heard if slot else None


def _hold_seconds(d: Dialog, slots: dict[str, SlotValue]) -> Reply:
    heard = _heard(slots, "seconds")
    if heard is None or not heard.isascii() or not heard.isdigit():
        return d.coach.change_hold(delta=0)
    # a number too long to convert is simply too long a hold: clamped like any other
    return d.coach.change_hold(seconds=int(heard) if len(heard) <= 4 else 10**4)


ROUTES: dict[str, Route] = {
    "AMAZON.HelpIntent": lambda d, s: d.help(),
    "AMAZON.StopIntent": lambda d, s: d.stop(),
    "AMAZON.CancelIntent": lambda d, s: d.stop(),
    "AMAZON.FallbackIntent": lambda d, s: d.fallback(),
    "AMAZON.NavigateHomeIntent": lambda d, s: d.home(),
    "AMAZON.RepeatIntent": lambda d, s: d.repeat(),
    "AMAZON.YesIntent": lambda d, s: d.answer("yes"),
    "AMAZON.NoIntent": lambda d, s: d.answer("no"),
    "AMAZON.PreviousIntent": lambda d, s: d.previous(),
    "UnsureIntent": lambda d, s: d.answer("unsure"),
    "OkayIntent": lambda d, s: d.okay(),
    "RemarkIntent": lambda d, s: d.okay(),  # a sign's words in an everyday sense
    "SignDeniedIntent": lambda d, s: d.answer("no"),  # "no chest pain"
    "CheckSymptomsIntent": lambda d, s: d.check_symptoms(),
    "NervePainIntent": lambda d, s: d.safety.nerve_pain(),
    "SharpPainIntent": lambda d, s: d.safety.advise("sharp"),
    "WarningFallIntent": lambda d, s: d.fell(_slot_id(s, "person"),
                                             stuck=_slot_id(s, "stuck") is not None),
    "DizzyIntent": lambda d, s: d.safety.advise("dizzy"),
    "CallForHelpIntent": lambda d, s: d.call_for_help(),
    "CallSomeoneIntent": lambda d, s: d.call_someone(),
    "PainIntent": lambda d, s: d.pain(),
    "MildPainIntent": lambda d, s: d.pain(),
    "SoreSideIntent": lambda d, s: d.pain(),  # which side: health data, never kept
    "CauseInfoIntent": lambda d, s: d.explain(_slot_id(s, "cause")),
    "ListCausesIntent": lambda d, s: d.list_causes(),
    "MoreIntent": lambda d, s: d.more(),
    "TopicIntent": lambda d, s: d.topic(_slot_id(s, "topic") or _slot_id(s, "topic_b")),
    "ListTopicsIntent": lambda d, s: d.list_topics(),
    "CauseSymptomsIntent": lambda d, s: d.symptoms_of(_slot_id(s, "cause")),
    "RecoveryIntent": lambda d, s: d.recovery(_slot_id(s, "cause"),
                                              named=_heard(s, "cause") is not None),
    "StartRoutineIntent": lambda d, s: d.start_routine(_slot_id(s, "routine"),
                                                       _heard(s, "routine")),
    "StartMyRoutineIntent": lambda d, s: d.coach.start_mine(),
    "ListRoutinesIntent": lambda d, s: d.coach.list_routines(),
    "FloorIsHardIntent": lambda d, s: d.coach.offer_chair(),
    "SoundsOffIntent": lambda d, s: d.coach.set_sounds(False),
    "SoundsOnIntent": lambda d, s: d.coach.set_sounds(True),
    "AMAZON.NextIntent": lambda d, s: d.next(),
    "AMAZON.PauseIntent": lambda d, s: d.coach.pause(),
    "AMAZON.ResumeIntent": lambda d, s: d.resume(),
    "AMAZON.StartOverIntent": lambda d, s: d.start_over(),
    "SkipIntent": lambda d, s: d.coach.skip(),
    "WhichExerciseIntent": lambda d, s: d.coach.which_exercise(),
    "HowManyLeftIntent": lambda d, s: d.coach.how_many_left(),
    "HoldLongerIntent": lambda d, s: d.coach.change_hold(delta=10),
    "HoldShorterIntent": lambda d, s: d.coach.change_hold(delta=-10),
    "HoldSecondsIntent": lambda d, s: _hold_seconds(d, s),
    "SideIntent": lambda d, s: d.coach.choose_side(_slot_id(s, "side")),
    "SideOnlyIntent": lambda d, s: d.coach.choose_side(_slot_id(s, "only_side"), only=True),
    "ForgetMeIntent": lambda d, s: d.forget(),
    "ReminderIntent": lambda d, s: d.remind(_heard(s, "time"), _slot_id(s, "period")),
    "CaregiverIntent": lambda d, s: d.caregiver(_slot_id(s, "person")),
    "ForMeIntent": lambda d, s: d.for_self(),
}

# Each warning sign family is an intent of its own (content/interaction.yaml says the same
# with `flag:`; a test holds the two together): the red flag of triage.yaml whose advice it
# gets. An answer said before the sign ("yes, both my legs are numb") binds as well.
WARNING_SIGNS: dict[str, str] = {
    "WarningCaudaEquinaIntent": "cauda_equina",
    "WarningChestIntent": "pulmonary_embolism",
    "WarningColdLegIntent": "limb_threat",
    "WarningInjuryIntent": "limb_threat",
    "WarningClotIntent": "deep_vein_thrombosis",
    "WarningWeaknessIntent": "weakness_or_tear",
    "WarningTearIntent": "weakness_or_tear",
    "WarningFeverIntent": "infection_or_severe_pain",
    "WarningCancerIntent": "cancer_or_night_pain",
}
for _intent, _flag in WARNING_SIGNS.items():
    ROUTES[_intent] = (lambda flag: lambda d, s: d.red_flag(flag, answer=_slot_id(s, "answer")))(_flag)

# A topic, cause or routine described in words rather than named, each topic and each side,
# has an intent of its own (TopicSleepingIntent, CauseSciaticaIntent, RoutineGentleIntent,
# SideLeftIntent; model.described_intent).
_DESCRIBED = re.compile(r"(Topic|Cause|Routine|Side)((?:[A-Z][a-z]+)+)Intent")
_DESCRIBED_ROUTES: dict[str, Callable[[Dialog, str], Reply]] = {
    "Topic": lambda d, ident: d.topic(ident),
    "Cause": lambda d, ident: d.explain(ident),
    "Routine": lambda d, ident: d.start_routine(ident),
    "Side": lambda d, ident: d.coach.choose_side(ident),
}


def described(intent_name: str) -> tuple[str, str] | None:
    """("Topic", "cold_heat") for TopicColdHeatIntent; None for an intent with a route of its
    own (CauseInfoIntent) or any other name. The inverse of model.described_intent."""
    found = _DESCRIBED.fullmatch(intent_name)
    if found is None or intent_name in ROUTES:
        return None
    kind, camel = found.groups()
    return kind, re.sub(r"(?<!^)(?=[A-Z])", "_", camel).lower()


def route_for(intent_name: str) -> Route:
    """The route of an intent; an intent without one is answered as a fallback."""
    route = ROUTES.get(intent_name)
    if route is not None:
        return route
    kind_and_id = described(intent_name)
    if kind_and_id is not None:
        kind, ident = kind_and_id
        return lambda d, s: _DESCRIBED_ROUTES[kind](d, ident)
    return ROUTES["AMAZON.FallbackIntent"]


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        return respond(handler_input, dialog(handler_input).launch())


class IntentHandler(AbstractRequestHandler):
    """Any intent with a route; an intent without one is answered as a fallback."""

    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input):
        intent = getattr(handler_input.request_envelope.request, "intent", None)
        route = route_for(str(getattr(intent, "name", "")))
        slots = read_slots(intent)
        return respond(handler_input, route(dialog(handler_input), slots))


class SessionEndedHandler(AbstractRequestHandler):
    """Alexa closed the session (the user left, or silence); nothing may be spoken."""

    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        reason = getattr(getattr(request, "reason", None), "value", None)
        log.info("session ended: %s", reason)
        save_at_session_end(handler_input)
        return handler_input.response_builder.response


class AnyOtherRequestHandler(AbstractRequestHandler):
    """Request kinds this skill does not use (e.g. from an interface it did not ask for)."""

    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        return handler_input.response_builder.response


class ErrorHandler(AbstractExceptionHandler):
    """Anything unexpected: apologise, keep the session usable, log only where it broke."""

    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        tb = exception.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"
        # The message may quote what the user said, so only the type and place are logged.
        log.error("unhandled %s at %s", type(exception).__name__, where)
        if is_request_type("SessionEndedRequest")(handler_input):
            return handler_input.response_builder.response
        try:
            return respond(handler_input, dialog(handler_input).error())
        except Exception as again:  # the Dialog itself is what failed: a fixed answer
            log.error("error reply failed: %s", type(again).__name__)
            builder = handler_input.response_builder
            sorry = "Sorry, something went wrong. Please try again in a moment."
            builder.speak(speak(sorry)).ask(speak("Please try again."))
            return builder.set_should_end_session(False).response


# Intents whose names say nothing about anyone's health, and so may be logged. Many names
# now carry meaning (WarningChestIntent, CauseTendinopathyIntent, SoreSideIntent): those are
# logged as "another intent", since what a user says about symptoms never reaches the logs.
LOGGED_BY_NAME = frozenset({
    "OkayIntent", "UnsureIntent", "MoreIntent", "StartRoutineIntent", "StartMyRoutineIntent",
    "ListRoutinesIntent", "ListTopicsIntent", "ListCausesIntent", "SkipIntent",
    "WhichExerciseIntent", "HowManyLeftIntent", "HoldLongerIntent", "HoldShorterIntent",
    "HoldSecondsIntent", "SideOnlyIntent", "SideLeftIntent", "SideRightIntent", "SideBothIntent",
    "ForgetMeIntent", "ReminderIntent", "CaregiverIntent", "ForMeIntent", "CallSomeoneIntent"})


class LogRequest(AbstractRequestInterceptor):
    """Request kind and intent name only, and the name only where it says nothing about health:
    never what the user said or a slot value."""

    def process(self, handler_input):
        request = handler_input.request_envelope.request
        kind = getattr(request, "object_type", None)
        intent = str(getattr(getattr(request, "intent", None), "name", "") or "")
        if intent and not (intent.startswith("AMAZON.") or intent in LOGGED_BY_NAME):
            intent = "another intent"
        log.info("request %s %s", kind, intent)


class EnsureReprompt(AbstractResponseInterceptor):
    """Every response that keeps the session open has a reprompt."""

    def process(self, handler_input, response):
        if response is None or is_request_type("SessionEndedRequest")(handler_input):
            return
        if response.should_end_session is False and response.reprompt is None:
            try:
                text = dialog(handler_input).t("error_reprompt")
            except Exception:
                text = "What would you like to do?"
            response.reprompt = Reprompt(output_speech=_ssml(text))


def _ssml(text: str):
    from ask_sdk_model.ui import SsmlOutputSpeech

    return SsmlOutputSpeech(ssml=Speech().say(text).ssml())


def register(builder) -> None:
    for handler in (LaunchHandler(), IntentHandler(), SessionEndedHandler(),
                    AnyOtherRequestHandler()):
        builder.add_request_handler(handler)
    builder.add_exception_handler(ErrorHandler())
    builder.add_global_request_interceptor(LogRequest())
    builder.add_global_response_interceptor(EnsureReprompt())


def is_routed(intent_name: str) -> bool:
    return intent_name in ROUTES


__all__ = ["ROUTES", "register", "is_routed", "is_intent_name"]
