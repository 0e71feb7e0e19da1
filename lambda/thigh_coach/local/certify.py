"""`thigh-coach certify`: a pre-submission self-check, PASS or FAIL per rule.

The conversation rules drive the real `lambda_handler` with real request envelopes in every
locale (an embedded store in a temporary folder, no permission granted, so nothing leaves
this machine); the manifest rules check the package `thigh-coach package` would write from
the publisher's values.
"""

from __future__ import annotations

import importlib
import json
import os
import random
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..speech import to_text
from .envelopes import Session, slot
from .package import (
    PUBLISH_MODES,
    PackageError,
    build_manifest,
    description_problems,
    in_each_mode,
    load_publish,
    malformed_problems,
    mode_problems,
    models,
    phrase_problems,
    placeholder_problems,
    said_once,
    template_problems,
)

Handler = Callable[[dict, Any], dict]
APL_INTERFACE = "ALEXA_PRESENTATION_APL"
TIMES = ["07:00", "19:00", "08:30", "21:00", "EV", "MO"]  # what AMAZON.TIME gives


@dataclass
class Rule:
    name: str
    problems: list[str] = field(default_factory=list)
    summary: str = ""

    @property
    def passed(self) -> bool:
        return not self.problems


def _heard(ssml: str | None) -> str:
    """The words, without trailing pauses: a pause after a question does not unask it."""
    text = to_text(ssml) if ssml else ""
    return re.sub(r"(\s*\[pause [^\]]*\])+$", "", text).strip()


def _speech(response: dict) -> tuple[str, str]:
    body = response.get("response", {})
    speech = (body.get("outputSpeech") or {}).get("ssml")
    reprompt = ((body.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")
    return _heard(speech), _heard(reprompt)


class Device:
    """One device in one locale, speaking in intents (no speech recognition needed)."""

    def __init__(self, handler: Handler, locale: str, screen: bool = False) -> None:
        self.handler = handler
        self.session = Session(locale=locale, screen=screen)

    def send(self, envelope: dict) -> dict:
        response = self.handler(json.loads(json.dumps(envelope)), None)
        response = json.loads(json.dumps(response))
        self.session.absorb(response)
        return response

    def launch(self) -> dict:
        self.session.restart()
        return self.send(self.session.launch())

    def intent(self, name: str, slots: dict[str, dict] | None = None) -> dict:
        return self.send(self.session.intent(name, slots))


def _listening(response: dict) -> bool:
    return response.get("response", {}).get("shouldEndSession") is False


class Walker:
    """Random requests built from a locale's model: every intent, slots filled with the
    model's own values (sometimes left out), a new session now and then."""

    def __init__(self, model: dict[str, Any], rng: random.Random) -> None:
        language = model["interactionModel"]["languageModel"]
        self.rng = rng
        self.intents = [(i["name"], {s["name"]: s["type"] for s in i.get("slots", [])})
                        for i in language["intents"]]
        self.values = {t["name"]: [(v["name"]["value"], v.get("id")) for v in t["values"]]
                       for t in language.get("types", [])}

    def slots(self, types: dict[str, str]) -> dict[str, dict]:
        filled = {}
        for name, slot_type in types.items():
            if self.rng.random() < 0.2:
                continue
            if slot_type == "AMAZON.TIME":
                filled[name] = slot(name, self.rng.choice(TIMES))
            elif slot_type == "AMAZON.NUMBER":
                filled[name] = slot(name, str(self.rng.randint(5, 90)))
            elif slot_type in self.values:
                heard, value_id = self.rng.choice(self.values[slot_type])
                filled[name] = slot(name, heard, value_id, slot_type=slot_type)
        return filled

    def next(self) -> tuple[str, dict[str, dict]]:
        name, types = self.rng.choice(self.intents)
        return name, self.slots(types)


def walk_rule(handler: Handler, all_models: dict[str, dict], turns: int, seed: int,
          seen: dict[str, set[str]]) -> Rule:
    rule = Rule("every open response asks a question")
    open_count = total = bad = 0
    # (speech or reprompt, how it ends) -> [(locale, the request, the last few requests)]
    failures: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    # both publish modes (the SymptomCheck parameter): the handler reads it on every request
    modes = [(mode, locale, model) for mode in ("questions", "read-aloud")
             for locale, model in all_models.items()]
    before = os.environ.get("SYMPTOM_CHECK")
    for mode, locale, model in modes:
        os.environ["SYMPTOM_CHECK"] = mode
        rng = random.Random(f"{seed}:{locale}" + ("" if mode == "questions" else f":{mode}"))
        walker = Walker(model, rng)
        device = Device(handler, locale, screen=rng.random() < 0.5)
        path: list[str] = []
        response: dict = {}
        for _ in range(turns):
            request: tuple[str, dict[str, dict]] | None = None
            if path and _listening(response) and rng.random() >= 0.04:
                request = walker.next()
            total += 1
            if request is None:
                device.session.screen = rng.random() < 0.5
                path, label = ["LaunchRequest"], "LaunchRequest"
            else:
                name, slots = request
                label = name + "".join(f" {k}={v.get('value')!r}" for k, v in slots.items())
                path.append(label)
            try:
                response = device.launch() if request is None else device.intent(*request)
            except Exception as exc:  # a crash is a response that asks nothing
                response, bad = {}, bad + 1
                failures.setdefault(("the handler", f"raised {type(exc).__name__}"), []).append(
                    (locale, label.split(" ")[0], " > ".join(path[-4:])))
                continue
            _observe(response, seen)
            if not _listening(response):
                continue
            open_count += 1
            speech, reprompt = _speech(response)
            bad += not (speech.endswith("?") and reprompt.endswith("?"))
            for what, text in (("speech", speech), ("reprompt", reprompt)):
                if not text.endswith("?"):
                    ending = repr(("..." + text[-90:]) if len(text) > 90 else text or "(nothing)")
                    failures.setdefault((what, f"ends {ending}"), []).append(
                        (locale, label.split(" ")[0], " > ".join(path[-4:])))
    if before is None:
        os.environ.pop("SYMPTOM_CHECK", None)
    else:
        os.environ["SYMPTOM_CHECK"] = before
    for (what, how), cases in sorted(failures.items(), key=lambda item: -len(item[1])):
        locales = sorted({c[0] for c in cases})
        after = sorted({c[1] for c in cases})
        rule.problems.append(
            f"{what} {how}: {len(cases)}x in {', '.join(locales)}, after {', '.join(after)} "
            f"(e.g. {cases[0][0]}: {cases[0][2]})")
    rule.summary = (f"{total} turns in {len(all_models)} locales and both publish modes "
                    f"(seed {seed}), {open_count} "
                    f"kept the session open" + (f", {bad} did not ask" if bad else ""))
    return rule


def _observe(response: dict, seen: dict[str, set[str]]) -> None:
    """What the skill used: permissions it asked for, interfaces it sent directives to."""
    body = response.get("response", {})
    card = body.get("card") or {}
    if card.get("type") == "AskForPermissionsConsent":
        seen["permissions"].update(card.get("permissions") or [])
    for directive in body.get("directives") or []:
        if str(directive.get("type", "")).startswith("Alexa.Presentation.APL."):
            seen["interfaces"].add(APL_INTERFACE)


def _routine_slot(model: dict) -> dict[str, dict]:
    for slot_type in model["interactionModel"]["languageModel"].get("types", []):
        if slot_type["name"] == "ROUTINE" and slot_type["values"]:
            value = slot_type["values"][0]
            return {"routine": slot("routine", value["name"]["value"], value.get("id"),
                                    slot_type="ROUTINE")}
    return {}


def _states(model: dict) -> dict[str, list[tuple[str, dict]]]:
    """Places a session can be in, as the intents that lead there after a launch."""
    return {"after the welcome": [],
            "after help": [("AMAZON.HelpIntent", {})],
            "in the symptom check": [("CheckSymptomsIntent", {})],
            "in a routine": [("StartRoutineIntent", _routine_slot(model))]}


def stop_rule(handler: Handler, all_models: dict[str, dict]) -> Rule:
    rule = Rule("Stop and Cancel end the session")
    checked = 0
    for locale, model in all_models.items():
        for state, steps in _states(model).items():
            for intent in ("AMAZON.StopIntent", "AMAZON.CancelIntent"):
                device = Device(handler, locale)
                checked += 1
                try:
                    device.launch()
                    for name, slots in steps:
                        device.intent(name, slots)
                    response = device.intent(intent)
                except Exception as exc:
                    rule.problems.append(f"{locale}: {intent} {state}: the handler raised "
                                         f"{type(exc).__name__}")
                    continue
                if response.get("response", {}).get("shouldEndSession") is not True:
                    rule.problems.append(f"{locale}: {intent} {state} left the session open")
    rule.summary = f"{checked} stops and cancels in {len(all_models)} locales"
    return rule


def session_end_rule(handler: Handler, all_models: dict[str, dict]) -> Rule:
    rule = Rule("SessionEndedRequest is silent")
    checked = 0
    for locale, model in all_models.items():
        for state, steps in _states(model).items():
            for reason in ("USER_INITIATED", "EXCEEDED_MAX_REPROMPTS"):
                device = Device(handler, locale, screen=True)
                checked += 1
                try:
                    device.launch()
                    for name, slots in steps:
                        device.intent(name, slots)
                    body = device.send(device.session.ended(reason)).get("response", {})
                except Exception as exc:
                    rule.problems.append(f"{locale}: {reason} {state}: the handler raised "
                                         f"{type(exc).__name__}")
                    continue
                said = [k for k in ("outputSpeech", "reprompt", "card", "directives")
                        if body.get(k)]
                if said:
                    rule.problems.append(f"{locale}: {reason} {state} answered with "
                                         f"{', '.join(said)}")
    rule.summary = f"{checked} session ends in {len(all_models)} locales"
    return rule


def features_rule(handler: Handler, all_models: dict[str, dict], manifest: dict,
              seen: dict[str, set[str]]) -> Rule:
    """Every permission and interface declared is used, and every one used is declared."""
    rule = Rule("permissions match the features")
    for locale, model in all_models.items():
        names = {i["name"] for i in model["interactionModel"]["languageModel"]["intents"]}
        device = Device(handler, locale, screen=True)
        try:
            device.launch()
            if "ReminderIntent" in names:  # without a permission granted: the consent card
                response = device.intent("ReminderIntent", {"time": slot("time", "19:00")})
                _observe(response, seen)
                if _listening(response):  # "Every day at 7 p.m. Shall I set it?"
                    _observe(device.intent("AMAZON.YesIntent"), seen)
                device.launch()
            _observe(device.intent("StartRoutineIntent", _routine_slot(model)), seen)
        except Exception as exc:
            rule.problems.append(f"{locale}: the handler raised {type(exc).__name__}")
    declared = {p.get("name") for p in manifest.get("permissions", [])}
    for scope in sorted(seen["permissions"] - declared):
        rule.problems.append(f"the skill asks for {scope} but the manifest does not declare it")
    for scope in sorted(declared - seen["permissions"]):
        rule.problems.append(f"the manifest declares {scope} but the skill never asks for it")
    interfaces = {i.get("type") for i in manifest["apis"]["custom"].get("interfaces", [])}
    if APL_INTERFACE in seen["interfaces"] - interfaces:
        rule.problems.append(f"the skill sends APL but the manifest does not declare "
                             f"{APL_INTERFACE}")
    if APL_INTERFACE in interfaces - seen["interfaces"]:
        rule.problems.append(f"the manifest declares {APL_INTERFACE} but no screen was sent")
    rule.summary = ("permissions " + (", ".join(sorted(declared)) or "none")
                    + "; interfaces " + (", ".join(sorted(i for i in interfaces if i)) or "none"))
    return rule


def _skill_handler() -> Handler:
    """The real handler on a throwaway embedded store, answering the local envelopes' skill id
    (whatever SKILL_ID or TABLE_NAME this shell has, nothing real is touched)."""
    os.environ.pop("TABLE_NAME", None)
    os.environ.pop("SKILL_ID", None)
    os.environ["STORE_PATH"] = str(Path(tempfile.mkdtemp(prefix="certify-")) / "store.sqlite3")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import thigh_coach.app as app

    return importlib.reload(app).lambda_handler


def run_rules(root: Path, publish: Path, turns: int, seed: int) -> list[Rule]:
    all_models = models(root)
    handler = _skill_handler()
    seen: dict[str, set[str]] = {"permissions": set(), "interfaces": set()}
    rules = [walk_rule(handler, all_models, turns, seed, seen),
             stop_rule(handler, all_models),
             session_end_rule(handler, all_models)]
    try:
        values = load_publish(publish)
    except PackageError as exc:
        values, missing = {}, str(exc)
    else:
        missing = ""
    manifests = {mode: build_manifest(root, values, None, mode).manifest
                 for mode in PUBLISH_MODES}
    locales = list(all_models)
    phrases = Rule("example phrases are samples of the model",
                   in_each_mode(values, lambda v: phrase_problems(v, all_models)))
    # the manifest is the template and the publisher's values: both are searched
    placeholders = Rule("the manifest has no placeholders", template_problems(root) + in_each_mode(
        values, lambda v: placeholder_problems(v, locales)))
    well_formed = Rule("publisher values are well formed",
                       in_each_mode(values, lambda v: malformed_problems(v, root, locales)))
    per_mode = Rule("the store listing and testing instructions match each publish mode",
                    mode_problems(values, locales) + listing_problems(manifests))
    disclaimer = Rule("the disclaimer is in every locale's description",
                      said_once({mode: description_problems(manifest, root)
                                 for mode, manifest in manifests.items()}))
    if missing:
        for rule in (phrases, placeholders, well_formed, per_mode):
            rule.problems.insert(0, missing)
    rules += [phrases, placeholders, well_formed, per_mode,
              features_rule(handler, all_models, manifests[PUBLISH_MODES[0]], seen), disclaimer]
    return rules


# A text that tells a user or a tester to answer questions about symptoms "yes or no"
PROMISES_QUESTIONS = re.compile(r"\byes\W+(?:or\W+)?no\b", re.IGNORECASE)


def listing_problems(manifests: dict[str, dict[str, Any]]) -> list[str]:
    """What each mode's package says against what the skill does in that mode: the read-aloud
    mode asks nothing about the body, so its listing and instructions must not promise yes or
    no questions; the questions mode declares that it uses personal information."""
    problems = []
    for mode, manifest in manifests.items():
        uses = manifest["privacyAndCompliance"].get("usesPersonalInfo")
        if uses is not (mode == "questions"):
            problems.append(f"{mode} mode: usesPersonalInfo is {uses}")
        if mode == "questions":
            continue
        info = manifest["publishingInformation"]
        texts = [("testing instructions", info.get("testingInstructions") or "")]
        texts += [(f"{locale} description", published.get("description") or "")
                  for locale, published in info["locales"].items()]
        for where, text in texts:
            if PROMISES_QUESTIONS.search(text):
                problems.append(f"{mode} mode: the {where} promise yes or no questions "
                                f"about symptoms, which this mode never asks")
    return problems


def certify(root: Path, publish: Path, turns: int = 300, seed: int = 12) -> int:
    print(f"thigh-coach certify: {root.name}, publisher values from {publish.name}")
    rules = run_rules(root, publish, turns, seed)
    for rule in rules:
        print(f"{'PASS' if rule.passed else 'FAIL'}  {rule.name}"
              + (f": {rule.summary}" if rule.summary else ""))
        for problem in rule.problems:
            print(f"      {problem}")
    passed = sum(rule.passed for rule in rules)
    print(f"{passed} of {len(rules)} rules pass")
    sys.stdout.flush()
    return 0 if passed == len(rules) else 1
