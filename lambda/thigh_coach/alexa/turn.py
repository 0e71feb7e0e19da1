"""One request: the Dialog it drives, and how the Dialog's Reply becomes Alexa's response."""

from __future__ import annotations

import os

from ask_sdk_model.ui import AskForPermissionsConsentCard, SimpleCard

from ..content import get_content
from ..dialog import Dialog
from ..profile import Profile
from ..speech import Speech
from ..state import SESSION_KEY, Conversation, Mode
from ..talk import Ports
from ..voice import DEFAULT_LOCALE
from . import memory, session_guard
from .reminders import reminder_port
from .screen import apl_document, apl_version, runtime_supports

DIALOG, NO_SESSION = "dialog", "no_session"


def supports_apl(handler_input) -> bool:
    """The device lists APL, and a runtime that can show our document's APL version."""
    try:
        interfaces = handler_input.request_envelope.context.system.device.supported_interfaces
    except AttributeError:
        return False
    apl = getattr(interfaces, "alexa_presentation_apl", None)
    if apl is None:
        return False
    runtime = getattr(apl, "runtime", None)
    return runtime_supports(getattr(runtime, "max_version", None), apl_version())


def locale_of(handler_input) -> str | None:
    locale = getattr(handler_input.request_envelope.request, "locale", None)
    return locale if isinstance(locale, str) else None


def dialog(handler_input) -> Dialog:
    """The Dialog for this request, made once (the profile is read at most once a session)."""
    attrs = handler_input.attributes_manager.request_attributes
    if DIALOG not in attrs:
        manager = handler_input.attributes_manager
        content = get_content()
        envelope_session = handler_input.request_envelope.session
        session: dict = {}
        if envelope_session is None:
            # Not a request Alexa sends in a session: answer it, but remember nothing.
            profile, ok = Profile(), True
            attrs[NO_SESSION] = True
        else:
            if not isinstance(manager.session_attributes, dict):
                manager.session_attributes = {}
            session_guard.clean(manager.session_attributes)
            profile, ok = memory.load(handler_input)
            session = manager.session_attributes
        # The conversation state: read and validated once here, written once in respond().
        state = Conversation.from_attributes(session.get(SESSION_KEY), content)
        locale = locale_of(handler_input)
        attrs[DIALOG] = Dialog(
            content, locale, state, profile, screen=supports_apl(handler_input),
            new_session=bool(getattr(envelope_session, "new", False)),
            read_aloud=os.environ.get("SYMPTOM_CHECK") == "read-aloud",
            ports=Ports(forget_store=lambda: memory.delete(handler_input),
                        set_reminder=reminder_port(
                            handler_input,
                            locale if locale is not None and locale in content.locales
                            else DEFAULT_LOCALE)))
        attrs["memory_ok"] = ok
    return attrs[DIALOG]


def respond(handler_input, reply):
    d = dialog(handler_input)
    reply = d.settle(reply)
    manager = handler_input.attributes_manager
    if not manager.request_attributes.get(NO_SESSION):
        saved = memory.save(handler_input, d.profile,
                            flush=reply.end or d.state.mode == Mode.PAUSED)
        kept = memory.kept(handler_input)
        ok = saved and manager.request_attributes.get("memory_ok", True)
        if not ok and reply.unsaved is not None:  # never "I've saved your place" untrue
            reply.speech = reply.unsaved
        elif not ok and not kept.warned:
            kept.warned = True
            reply.speech = Speech().say(d.t("storage_unavailable")).extend(reply.speech)
        # the session's one value: the conversation, and what it keeps of the store
        manager.session_attributes[SESSION_KEY] = {**d.state.to_attributes(),
                                                   memory.KEPT: kept.to_attributes()}
    builder = handler_input.response_builder
    builder.speak(reply.speech.ssml())
    if reply.reprompt is not None and not reply.end:
        builder.ask(reply.reprompt.ssml())
    if reply.consent:
        builder.set_card(AskForPermissionsConsentCard(permissions=reply.consent))
    elif reply.card:
        builder.set_card(SimpleCard(title=reply.card[0], content=reply.card[1]))
    if reply.screen is not None and d.turn.screen:
        # the APL model package is 15 ms of a cold start: loaded only for a screen
        from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

        data = dict(reply.screen)
        picture = data.pop("picture", None)  # a graphic belongs in the document, not its data
        document = apl_document() if picture is None \
            else {**apl_document(), "graphics": {"picture": picture}}
        builder.add_directive(RenderDocumentDirective(
            token=str(data.get("kind", "exercise")), document=document,
            datasources={"exercise": data}))
    builder.set_should_end_session(reply.end)
    return builder.response


def save_at_session_end(handler_input) -> None:
    """Alexa ended the session (silence, the user left): write what could wait."""
    d = dialog(handler_input)
    if not handler_input.attributes_manager.request_attributes.get(NO_SESSION):
        memory.save(handler_input, d.profile, flush=True)
