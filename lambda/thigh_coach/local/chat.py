"""`thigh-coach chat`: talk to the real lambda_handler in a terminal.

Each line is matched against the locale's interaction model, sent as a real request envelope
in a persistent session, and the answer is printed as a person would hear it. An empty line
is silence: the reprompt is heard, and a second silence ends the session as Alexa would.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from ..speech import to_text
from .envelopes import Session, slot
from .understanding import Understanding


class TerminalChat:
    """A session with the skill, driven by typed (or scripted) lines."""

    def __init__(self, handler: Callable[[dict, object], dict], matcher: Understanding,
                 session: Session, show_intent: bool = False) -> None:
        self.handler = handler
        self.matcher = matcher
        self.show_intent = show_intent
        self.heard: list[str] = []  # what the NLU made of the last line, when shown
        self.session = session
        self.open = False
        self.silences = 0
        self.last_response: dict = {}

    def _send(self, envelope: dict) -> dict:
        response = self.handler(envelope, None)
        self.session.absorb(response)
        self.open = response.get("response", {}).get("shouldEndSession") is False
        self.last_response = response
        return response

    def request_for(self, line: str) -> dict:
        launch, rest = self.matcher.launch_phrase(line)
        if launch:
            self.session.restart()
            if rest is None:
                return self.session.launch()
            line = rest
        heard = self.matcher.hear(line)
        if self.show_intent:
            self.heard = [heard.describe()]
        match = heard.match()
        slot_types = self._slot_types(match.intent)
        slots = {name: slot(name, heard, value_id, slot_type=slot_types.get(name))
                 for name, (heard, value_id) in match.slots.items()}
        return self.session.intent(match.intent, slots)

    def _slot_types(self, intent: str) -> dict[str, str]:
        for pattern in self.matcher.patterns:
            if pattern.intent == intent:
                return pattern.slot_types
        return {}

    def say(self, line: str) -> list[str]:
        """One user turn; returns the lines a person would hear (and see)."""
        if not line.strip():
            return self.silence()
        self.silences = 0
        self.heard = []
        request = self.request_for(line)
        return [*self.heard, *self.render(self._send(request))]

    def silence(self) -> list[str]:
        if not self.open:
            return ["(the device is idle: say 'open thigh pain coach')"]
        self.silences += 1
        reprompt = self.last_response.get("response", {}).get("reprompt")
        if self.silences == 1 and reprompt:
            return ["(silence)", "Alexa: " + to_text(reprompt["outputSpeech"]["ssml"])]
        self._send(self.session.ended("EXCEEDED_MAX_REPROMPTS"))
        self.open = False
        return ["(silence again: Alexa closes the session)"]

    @staticmethod
    def render(response: dict) -> list[str]:
        body = response.get("response", {})
        lines = []
        speech = body.get("outputSpeech")
        if speech:
            lines.append("Alexa: " + to_text(speech.get("ssml") or speech.get("text", "")))
        card = body.get("card")
        if card:
            lines.append(f"[card: {card.get('title', card.get('type'))}] "
                         + " ".join(str(card.get("content", "")).split()))
        for directive in body.get("directives", []) or []:
            lines.append(f"[screen: {directive.get('type')}]")
            shown = (directive.get("datasources") or {}).get("exercise") or {}
            if shown.get("hasPicture"):  # what the drawing shows, and which way it faces
                mirrored = ((directive.get("document") or {}).get("graphics", {}).get("picture", {})
                            .get("items", [{}])[0].get("scaleX") == -1)
                lines.append(f"[picture: {shown.get('pictureLabel')}"
                             f"{', mirrored for the left side' if mirrored else ''}]")
        reprompt = body.get("reprompt")
        if reprompt and body.get("shouldEndSession") is False:
            lines.append("  (reprompt: " + to_text(reprompt["outputSpeech"]["ssml"]) + ")")
        if body.get("shouldEndSession") is not False:
            lines.append("  (session ended)")
        return lines


def run(lines: Iterable[str], out: TextIO, handler, model_dir: Path, locale: str,
        user_id: str, screen: bool, interactive: bool, exact: bool = False,
        show_intent: bool = False) -> None:
    """A chat that hears as a device does: the grammar, then the statistical stage (trained
    from the model the first time, then cached); `exact` keeps the grammar alone."""
    conversation = TerminalChat(handler, Understanding.for_locale(model_dir, locale, exact=exact),
                                Session(locale=locale, user_id=user_id, screen=screen),
                                show_intent=show_intent)
    if interactive:
        out.write("Thigh Pain Coach, local chat. Type what you would say; an empty line is "
                  "silence; Ctrl-D quits.\nStart with: open thigh pain coach\n")
    for line in lines:
        line = line.rstrip("\n")
        if not interactive:
            out.write(f"You: {line}\n")
        for heard in conversation.say(line):
            out.write(heard + "\n")
        out.flush()
        if interactive:
            out.write("You: ")
            out.flush()
    if conversation.open:  # leaving the chat is the user walking away
        conversation._send(conversation.session.ended("USER_INITIATED"))


def interactive_lines(prompt_out: TextIO) -> Iterable[str]:
    prompt_out.write("You: ")
    prompt_out.flush()
    yield from sys.stdin
