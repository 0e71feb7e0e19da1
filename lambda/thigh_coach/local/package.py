"""The skill package and the deploy around it (`thigh-coach package`, `thigh-coach deploy`).

The package is an ASK CLI v2 project in build/skill/: ask-resources.json and skill-package/
(skill.json, interactionModels/custom/<locale>.json, assets/images/). Its skill.json is
interaction_model/skill.json (what the skill is: category, permissions, interfaces, keywords
and the notice every description ends with) filled in with the publisher's values from
publish.yaml (names, descriptions, example phrases, icons, policy addresses, countries,
testing instructions) and the stack's SkillFunctionArn as the endpoint.

A first deploy runs in the order Alexa and Lambda need: the skill is created (without an
endpoint) to get its id, the stack is deployed with that id (the function lets only that skill
invoke it), then the skill's endpoint is set to the function.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlparse

import yaml

from .icons import SIZES, png_size

MODELS = Path("interaction_model")
TEMPLATE = MODELS / "skill.json"
SAMCONFIG = Path("samconfig.toml")
ASK_STATES = Path(".ask") / "ask-states.json"
OUTPUT_KEY = "SkillFunctionArn"
MODE_PARAMETER = "SymptomCheck"

# What a value still waiting for the publisher looks like. REPLACE and TODO count only in
# capitals: "a replacement for" is prose.
PLACEHOLDER = re.compile(
    r"(?i:\bexample\.(?:com|org|net)\b|\blorem ipsum\b)|\bREPLACE|\bTODO\b|\bTBD\b|\bFIXME\b"
    r"|\bCHANGE[ _-]?ME\b|\bXXX\b")
ARN = re.compile(r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[\w$-]+)?")
SKILL_ID = re.compile(r"amzn1\.ask\.skill\.[0-9a-f-]+")
# ISO 3166-1 alpha-2, the form Alexa's distributionCountries takes ("UK" is not one: GB is)
COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW""".split())
LIMITS = {"name": 50, "summary": 160, "description": 4000, "testing_instructions": 4000}


class PackageError(Exception):
    """A step that cannot go on; the message says what to do."""


# --- the publisher's values -----------------------------------------------------------------

def load_publish(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise PackageError(f"{path} not found: copy publish.example.yaml to publish.yaml and "
                           "fill it in (or give --publish FILE)")
    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PackageError(f"{path}: not YAML: {exc}") from None
    if not isinstance(values, dict):
        raise PackageError(f"{path}: expected a mapping of publisher values")
    return values


def models(root: Path) -> dict[str, dict[str, Any]]:
    """locale -> interaction model, for every interaction_model/<locale>.json."""
    return {path.stem: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((root / MODELS).glob("*.json")) if path.name != TEMPLATE.name}


def strings_in(value: Any, where: str = ""):
    """(dotted path, text) for every string in a YAML or JSON value."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings_in(item, f"{where}[{i}]")


def _get(values: Any, *path: str) -> Any:
    for key in path:
        values = values.get(key) if isinstance(values, dict) else None
    return values


# The stack's SymptomCheck parameter (template.yaml): the skill asks about symptoms, or reads the
# warning signs aloud and asks nothing about the body. What the store shows and what testers
# are told differ with it, so those texts are given per mode.
PUBLISH_MODES = ("questions", "read-aloud")
PER_MODE = ("summary", "description")  # per locale; and testing_instructions
BY_MODE_NEEDED = ("description",)  # must differ: only the questions mode asks yes or no


def _by_mode(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(PUBLISH_MODES)


def for_mode(values: dict[str, Any], mode: str) -> dict[str, Any]:
    """The publisher's values with each text given per mode ({questions: ..., read-aloud:
    ...}) resolved to the one for `mode`; a plain text serves both."""
    def pick(value: Any) -> Any:
        return value.get(mode) if _by_mode(value) else value

    resolved = dict(values)
    if "testing_instructions" in values:
        resolved["testing_instructions"] = pick(values["testing_instructions"])
    published = values.get("locales")
    if isinstance(published, dict):
        resolved["locales"] = {
            locale: ({k: pick(v) if k in PER_MODE else v for k, v in given.items()}
                     if isinstance(given, dict) else given)
            for locale, given in published.items()}
    return resolved


def mode_problems(values: dict[str, Any], locales: list[str]) -> list[str]:
    """The testing instructions and every locale's description need a text for each mode."""
    wanted = f"give one text per publish mode ({': ..., '.join(PUBLISH_MODES)}: ...)"
    found = [("testing_instructions", values.get("testing_instructions"))]
    found += [(f"locales.{locale}.{key}", _get(values, "locales", locale, key))
              for locale in locales for key in BY_MODE_NEEDED]
    problems = []
    for where, value in found:
        if value in (None, "", [], {}):
            continue  # placeholder_problems reports it missing
        if isinstance(value, dict) and not _by_mode(value):
            unknown = sorted(set(value) - set(PUBLISH_MODES))
            problems.append(f"{where}: {', '.join(map(str, unknown))} is not a publish mode; "
                            f"the modes are {', '.join(PUBLISH_MODES)}")
        elif not _by_mode(value) or set(value) != set(PUBLISH_MODES):
            problems.append(f"{where}: {wanted}: the symptom check differs between them")
    return problems


REQUIRED = (("icons", "small"), ("icons", "large"), ("privacy_url",), ("terms_url",),
            ("countries",), ("testing_instructions",))
REQUIRED_PER_LOCALE = ("name", "summary", "description", "example_phrases")


def placeholder_problems(values: dict[str, Any], locales: list[str]) -> list[str]:
    """Values still missing, empty, or waiting for the publisher (REPLACE, example.com...)."""
    problems = []
    for path in REQUIRED:
        if _get(values, *path) in (None, "", [], {}):
            problems.append(f"{'.'.join(path)}: missing or empty")
    for locale in locales:
        for key in REQUIRED_PER_LOCALE:
            if _get(values, "locales", locale, key) in (None, "", [], {}):
                problems.append(f"locales.{locale}.{key}: missing or empty")
    for where, text in strings_in(values):
        if PLACEHOLDER.search(text):
            problems.append(f"{where}: a placeholder is left: {_short(text)}")
        elif not text.strip():
            problems.append(f"{where}: empty")
    return problems


def _short(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 70 else text[:67] + "...")


def _https(url: Any) -> bool:
    if not isinstance(url, str) or any(c.isspace() for c in url):
        return False
    parts = urlparse(url)
    return parts.scheme == "https" and "." in (parts.hostname or "")


def malformed_problems(values: dict[str, Any], root: Path, locales: list[str]) -> list[str]:  # noqa: C901 - over the limit when the rule came in (2026-12-03)
    """Values of the wrong form: not https, not a country code, an icon of the wrong size..."""
    problems = []
    for key in ("privacy_url", "terms_url"):
        url = values.get(key)
        if url and not PLACEHOLDER.search(str(url)) and not _https(url):
            problems.append(f"{key}: {_short(str(url))} is not an https address")
    for kind, size in SIZES.items():
        icon = _get(values, "icons", kind)
        if not icon or PLACEHOLDER.search(str(icon)):
            continue
        if not isinstance(icon, str):
            problems.append(f"icons.{kind}: expected a path or an https address")
        elif "://" in icon:
            if not _https(icon) or not urlparse(icon).path.lower().endswith(".png"):
                problems.append(f"icons.{kind}: {_short(icon)} is not an https address of a PNG")
        else:
            path = root / icon
            found = png_size(path.read_bytes()) if path.is_file() else None
            if not path.is_file():
                problems.append(f"icons.{kind}: {icon} does not exist")
            elif found is None:
                problems.append(f"icons.{kind}: {icon} is not a PNG")
            elif found != (size, size):
                problems.append(f"icons.{kind}: {icon} is {found[0]}x{found[1]}, "
                                f"not {size}x{size}")
    countries = values.get("countries")
    if countries and not isinstance(countries, list):
        problems.append("countries: expected a list of country codes, like [US, GB]")
    elif countries:
        for code in countries:
            if isinstance(code, bool):  # YAML reads a bare NO (Norway) as false
                problems.append("countries: a code was read as true or false: quote it (\"NO\")")
            elif code not in COUNTRIES:
                hint = " (the United Kingdom is GB)" if code == "UK" else ""
                problems.append(f"countries: {code!r} is not an ISO 3166-1 alpha-2 code{hint}")
    instructions = values.get("testing_instructions")
    if isinstance(instructions, str) and instructions.strip():
        lowered = instructions.lower()
        if "remind" not in lowered or "permission" not in lowered:
            problems.append("testing_instructions: must say how to test reminders and the "
                            "permission card (the skill sets reminders)")
        if len(instructions) > LIMITS["testing_instructions"]:
            problems.append(f"testing_instructions: {len(instructions)} characters, more than "
                            f"{LIMITS['testing_instructions']}")
    published = values.get("locales")
    if published is not None and not isinstance(published, dict):
        problems.append("locales: expected a mapping of locale -> name, summary...")
    elif published:
        for locale in sorted(set(published) - set(locales)):
            problems.append(f"locales.{locale}: no interaction model for this locale")
        for locale in locales:
            info = published.get(locale)
            if not isinstance(info, dict):
                continue
            for key in ("name", "summary", "description"):
                text = info.get(key)
                if isinstance(text, str) and len(text) > LIMITS[key]:
                    problems.append(f"locales.{locale}.{key}: {len(text)} characters, more "
                                    f"than {LIMITS[key]}")
    return problems


# --- example phrases: samples of the model ----------------------------------------------------

_NUMBER_RE = (r"\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
              r"(?: (?:one|two|three|four|five|six|seven|eight|nine))?|zero|one|two|three"
              r"|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
              r"|sixteen|seventeen|eighteen|nineteen")
_NUMBER = re.compile(_NUMBER_RE)
_TIME = re.compile(rf"(?:{_NUMBER_RE})(?: (?:{_NUMBER_RE}|o'clock))?(?: (?:am|pm|a m|p m))?"
                   r"|noon|midnight")
_LAUNCH = r"(?:open|start|launch|begin|load|run|play|talk to|use)"
_ASK = r"(?:ask|tell|use|open|start|launch|begin|load|run|talk to)"
_CONNECT = r"(?:to|for|about|if|whether|and|that)"
_AFTER = r"(?:from|in|using|with|on|by)"


def normalize(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("-", " ")
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


class _Slot(NamedTuple):
    type: str


class Samples:
    """Whether an utterance is one of a model's samples, slots filled with their values.

    A generated model has thousands of samples and slot types with thousands of values, so
    samples are matched word by word against sets of values, not compiled into regexes.
    """

    def __init__(self, model: dict[str, Any]) -> None:
        language = model["interactionModel"]["languageModel"]
        self.invocation = normalize(language["invocationName"])
        self.values = {t["name"]: frozenset(normalize(n) for v in t["values"]
                                            for n in [v["name"]["value"],
                                                      *v["name"].get("synonyms", [])])
                       for t in language.get("types", [])}
        # (words and slots in order, the literal words: a quick test before matching)
        self.samples: list[tuple[tuple[str | _Slot, ...], frozenset[str]]] = []
        for intent in language["intents"]:
            types = {s["name"]: s["type"] for s in intent.get("slots", [])}
            for sample in intent.get("samples", []):
                parts: list[str | _Slot] = []
                for part in re.split(r"(\{\w+\})", sample):
                    slot = re.fullmatch(r"\{(\w+)\}", part)
                    if slot:
                        parts.append(_Slot(types.get(slot.group(1), "")))
                    else:
                        parts.extend(normalize(part).split())
                self.samples.append((tuple(parts),
                                     frozenset(p for p in parts if isinstance(p, str))))

    def _fits(self, slot_type: str, words: list[str]) -> bool:
        text = " ".join(words)
        if slot_type == "AMAZON.NUMBER":
            return bool(_NUMBER.fullmatch(text))
        if slot_type == "AMAZON.TIME":
            return bool(_TIME.fullmatch(text))
        if slot_type in self.values:
            return text in self.values[slot_type]
        return len(words) <= 6  # a built-in type this check does not enumerate

    def _matches(self, parts: tuple[str | _Slot, ...], words: list[str]) -> bool:
        def rest(i: int, j: int) -> bool:
            if i == len(parts):
                return j == len(words)
            part = parts[i]
            if isinstance(part, str):
                return j < len(words) and words[j] == part and rest(i + 1, j + 1)
            return any(self._fits(part.type, words[j:end]) and rest(i + 1, end)
                       for end in range(j + 1, min(len(words), j + 8) + 1))

        return rest(0, 0)

    def is_sample(self, utterance: str) -> bool:
        words = normalize(utterance).split()
        present = set(words)
        return any(literals <= present and self._matches(parts, words)
                   for parts, literals in self.samples)

    def example_problem(self, phrase: str, first: bool) -> str | None:
        """Why `phrase` is not a valid example phrase, or None."""
        text, inv = normalize(phrase), re.escape(self.invocation)
        if not text.startswith("alexa "):
            return "does not start with the wake word (\"Alexa, ...\")"
        if self.invocation not in text:
            return f"does not name the invocation name {self.invocation!r}"
        if re.fullmatch(rf"alexa {_LAUNCH} {inv}", text):
            return None
        asked = re.fullmatch(rf"alexa {_ASK} {inv} (.+)", text)
        if asked:
            rest = asked.group(1)
            connected = re.fullmatch(rf"{_CONNECT} (.+)", rest)
            if self.is_sample(rest) or (connected and self.is_sample(connected.group(1))):
                return None
            utterance = connected.group(1) if connected else rest
            return f"{utterance!r} is not a sample utterance of the model"
        if first:
            return "the first phrase must open the skill (\"Alexa, open ...\")"
        after = re.fullmatch(rf"alexa (.+) {_AFTER} {inv}", text)
        if after and self.is_sample(after.group(1)):
            return None
        return "is not a launch phrase with a sample utterance of the model"


def phrase_problems(values: dict[str, Any], all_models: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    for locale, model in all_models.items():
        phrases = _get(values, "locales", locale, "example_phrases")
        if not phrases:
            continue  # reported as missing
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            problems.append(f"locales.{locale}.example_phrases: expected a list of phrases")
            continue
        if len(phrases) > 3:
            problems.append(f"locales.{locale}.example_phrases: {len(phrases)} phrases, "
                            "at most 3")
        samples = Samples(model)
        for i, phrase in enumerate(phrases):
            why = samples.example_problem(phrase, first=i == 0)
            if why:
                problems.append(f"locales.{locale}.example_phrases[{i}]: {phrase!r} {why}")
    return problems


def template_problems(root: Path) -> list[str]:
    """Placeholders in interaction_model/skill.json itself: it must need no editing."""
    template = json.loads((root / TEMPLATE).read_text(encoding="utf-8"))
    return [f"{TEMPLATE}: {where}: a placeholder is left: {_short(text)}"
            for where, text in strings_in(template) if PLACEHOLDER.search(text)]


def in_each_mode(values: dict[str, Any], check: Callable[[dict[str, Any]], list[str]]
                 ) -> list[str]:
    """`check`'s problems with the values of each publish mode."""
    return said_once({mode: check(for_mode(values, mode)) for mode in PUBLISH_MODES})


def said_once(each: dict[str, list[str]]) -> list[str]:
    """The problems found in each publish mode, each said once: plainly when every mode has
    it, else named with its mode."""
    problems: list[str] = []
    for mode, found in each.items():
        for problem in found:
            shared = all(problem in other for other in each.values())
            text = problem if shared else f"{mode} mode: {problem}"
            if text not in problems:
                problems.append(text)
    return problems


def publisher_problems(values: dict[str, Any], root: Path) -> list[str]:
    """Every problem of the values, in each publish mode."""
    return mode_problems(values, list(models(root))) + in_each_mode(
        values, lambda resolved: _problems_in_mode(resolved, root))


def _problems_in_mode(values: dict[str, Any], root: Path) -> list[str]:
    all_models = models(root)
    locales = list(all_models)
    return (template_problems(root) + placeholder_problems(values, locales)
            + malformed_problems(values, root, locales) + phrase_problems(values, all_models))


# --- the manifest and the package -------------------------------------------------------------

@dataclass
class Package:
    document: dict[str, Any]  # skill.json: {"manifest": ...}
    assets: dict[str, Path] = field(default_factory=dict)  # name in the package -> source

    @property
    def manifest(self) -> dict[str, Any]:
        return self.document["manifest"]


def build_manifest(root: Path, values: dict[str, Any], endpoint: str | None,
                   mode: str = PUBLISH_MODES[0]) -> Package:
    """The template filled in for a stack in publish mode `mode`. Tolerant of missing values,
    so a --draft can be looked at."""
    values = for_mode(values, mode)
    template = json.loads((root / TEMPLATE).read_text(encoding="utf-8"))
    manifest = template["manifest"]
    package = Package(template)
    icons = {}
    for kind in SIZES:
        icon = _get(values, "icons", kind)
        if isinstance(icon, str) and icon and "://" not in icon and (root / icon).is_file():
            name = f"assets/images/{Path(icon).name}"
            package.assets[name] = root / icon
            icons[kind] = f"file://{name}"
        elif isinstance(icon, str) and icon:
            icons[kind] = icon
    info = manifest["publishingInformation"]
    for locale, fixed in info["locales"].items():
        given = _get(values, "locales", locale) or {}
        notice = fixed.get("description", "")
        description = given.get("description") or ""
        if notice and notice not in description:
            description = f"{description.strip()}\n\n{notice}".strip()
        published = {"name": given.get("name"), "summary": given.get("summary"),
                     "description": description,
                     "examplePhrases": given.get("example_phrases"),
                     "keywords": given.get("keywords") or fixed.get("keywords"),
                     "smallIconUri": icons.get("small"), "largeIconUri": icons.get("large")}
        info["locales"][locale] = {k: v for k, v in published.items() if v}
    if values.get("countries"):
        info["distributionCountries"] = values["countries"]
    info["isAvailableWorldwide"] = False
    if values.get("testing_instructions"):
        info["testingInstructions"] = values["testing_instructions"].strip()
    policies = {"privacyPolicyUrl": values.get("privacy_url"),
                "termsOfUseUrl": values.get("terms_url")}
    for locale in manifest["privacyAndCompliance"].get("locales", {}):
        manifest["privacyAndCompliance"]["locales"][locale] = {
            k: v for k, v in policies.items() if v}
    # the questions mode asks about the user's health (kept in the session, never stored)
    manifest["privacyAndCompliance"]["usesPersonalInfo"] = mode == "questions"
    if endpoint:
        manifest["apis"]["custom"]["endpoint"] = {"uri": endpoint}
    return package


def description_problems(manifest: dict[str, Any], root: Path) -> list[str]:
    """The medical notice (the template's description) must end every locale's description."""
    template = json.loads((root / TEMPLATE).read_text(encoding="utf-8"))["manifest"]
    notices = {loc: info.get("description", "")
               for loc, info in template["publishingInformation"]["locales"].items()}
    problems = []
    published = manifest["publishingInformation"]["locales"]
    for locale in models(root):
        notice = notices.get(locale, "")
        description = _get(published, locale, "description") or ""
        if not notice or "not a substitute for professional medical advice" not in notice:
            problems.append(f"{TEMPLATE}: {locale} has no medical notice to append")
        elif notice not in description:
            problems.append(f"{locale}: the description lacks the medical notice")
        elif len(description) > LIMITS["description"]:
            problems.append(f"locales.{locale}.description: {len(description)} characters with "
                            f"the notice, more than {LIMITS['description']}")
    return problems


def write_package(root: Path, out: Path, package: Package, profile: str = "default") -> Path:
    """build/skill/skill-package/, replaced whole (a model or asset removed since the last
    package must not linger), and ask-resources.json beside it: the package is the whole
    project as far as the ASK CLI is concerned (the function is SAM's)."""
    skill_package = out / "skill-package"
    if skill_package.exists():
        shutil.rmtree(skill_package)
    custom = skill_package / "interactionModels" / "custom"
    custom.mkdir(parents=True)
    (skill_package / "skill.json").write_text(
        json.dumps(package.document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for locale in models(root):
        shutil.copyfile(root / MODELS / f"{locale}.json", custom / f"{locale}.json")
    for name, source in package.assets.items():
        (skill_package / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, skill_package / name)
    (out / "ask-resources.json").write_text(json.dumps({
        "askcliResourcesVersion": "2020-03-31",
        "profiles": {profile: {"skillMetadata": {"src": "./skill-package"}}}}, indent=2) + "\n")
    return skill_package


# --- the stack, through samconfig.toml and the aws CLI ------------------------------------------

@dataclass
class SamConfig:
    exists: bool
    stack_name: str | None = None
    region: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)

    @property
    def skill_id(self) -> str | None:
        return self.overrides.get("SkillId")


# The AWS regions from which the Alexa Skills Kit invokes a Lambda function
ALEXA_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1")


def region_problem(region: str | None, where: str) -> str | None:
    """Why Alexa could not invoke a function in this region, if it could not."""
    if region is None or region in ALEXA_REGIONS:
        return None
    return (f"{where}: region {region!r} is not one Alexa can invoke a Lambda function in; "
            f"use one of {', '.join(ALEXA_REGIONS)} (North America: us-east-1, Europe and "
            "India: eu-west-1, the Far East and Australia: us-west-2)")


def read_samconfig(root: Path) -> SamConfig:
    path = root / SAMCONFIG
    if not path.exists():
        return SamConfig(exists=False)
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PackageError(f"{SAMCONFIG}: {exc}") from None
    default = config.get("default", {})
    params = {**default.get("global", {}).get("parameters", {}),
              **default.get("deploy", {}).get("parameters", {})}
    raw = params.get("parameter_overrides", [])
    items = shlex.split(raw) if isinstance(raw, str) else [str(i) for i in raw]
    overrides = dict(item.split("=", 1) for item in items if "=" in item)
    return SamConfig(True, params.get("stack_name"), params.get("region"), overrides)


def run(cmd: list[str], cwd: Path, capture: bool = False) -> str:
    print("$ " + shlex.join(cmd), flush=True)
    try:
        result = subprocess.run(cmd, cwd=cwd, check=True, text=True,
                                stdout=subprocess.PIPE if capture else None)
    except FileNotFoundError:
        raise PackageError(f"{cmd[0]} is not installed (not on PATH)") from None
    except subprocess.CalledProcessError as exc:
        raise PackageError(f"{cmd[0]} failed (exit {exc.returncode})") from None
    return result.stdout or ""


class Stack(NamedTuple):
    endpoint: str  # its SkillFunctionArn output
    mode: str  # its SymptomCheck parameter


def read_stack(root: Path, config: SamConfig) -> Stack:
    """The deployed stack's endpoint and publish mode."""
    if not config.stack_name:
        raise PackageError(f"{SAMCONFIG} names no stack_name: deploy the stack first "
                           "(make deploy), or give --endpoint")
    cmd = ["aws", "cloudformation", "describe-stacks", "--stack-name", config.stack_name,
           "--output", "json"]
    if config.region:
        cmd += ["--region", config.region]
    try:
        stacks = json.loads(run(cmd, root, capture=True))["Stacks"]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
        parameters = {p["ParameterKey"]: p["ParameterValue"]
                      for p in stacks[0].get("Parameters", [])}
    except (ValueError, KeyError, IndexError, TypeError):
        raise PackageError(f"aws cloudformation describe-stacks: no stack "
                           f"{config.stack_name}") from None
    if OUTPUT_KEY not in outputs:
        raise PackageError(f"stack {config.stack_name} has no {OUTPUT_KEY} output")
    arn = outputs[OUTPUT_KEY]
    parts = arn.split(":")
    problem = region_problem(parts[3] if len(parts) > 3 else None, f"the endpoint {arn}")
    if problem:
        raise PackageError(problem)
    mode = parameters.get(MODE_PARAMETER, PUBLISH_MODES[0])
    if mode not in PUBLISH_MODES:
        raise PackageError(f"stack {config.stack_name}: {MODE_PARAMETER} is {mode!r}, not one of "
                           f"{', '.join(PUBLISH_MODES)}")
    return Stack(arn, mode)


# --- the skill, through the ASK CLI -----------------------------------------------------------

def states_skill_id(out: Path, profile: str) -> str | None:
    path = out / ASK_STATES
    if not path.exists():
        return None
    try:
        skill_id = json.loads(path.read_text(encoding="utf-8"))["profiles"][profile]["skillId"]
    except (ValueError, KeyError, TypeError):
        return None
    return skill_id if isinstance(skill_id, str) and skill_id else None


def write_skill_id(out: Path, profile: str, skill_id: str) -> None:
    """The skill id in .ask/ask-states.json, so `ask deploy` updates that skill rather than
    creating another (the file is the ASK CLI's own record of it)."""
    path = out / ASK_STATES
    states: dict[str, Any] = {"askcliStatesVersion": "2020-03-31", "profiles": {}}
    if path.exists():
        try:
            states = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            pass
    states.setdefault("profiles", {}).setdefault(profile, {})["skillId"] = skill_id
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(states, indent=2) + "\n")


def ask_deploy(out: Path, profile: str) -> str:
    """Create or update the skill and its models from the package; the skill's id."""
    cmd = ["ask", "deploy", "--target", "skill-metadata"]
    if profile != "default":
        cmd += ["--profile", profile]
    run(cmd, out)
    skill_id = states_skill_id(out, profile)
    if not skill_id:
        raise PackageError(f"ask deploy left no skill id in {out / ASK_STATES}")
    return skill_id


# --- the commands -------------------------------------------------------------------------

@dataclass
class Options:
    root: Path
    publish: Path
    out: Path
    draft: bool = False
    endpoint: str | None = None
    mode: str | None = None  # the publish mode; default: the stack's, or questions
    upload: bool = True
    skill_id: str | None = None
    ask_profile: str = "default"


def checked_values(opts: Options) -> dict[str, Any]:
    values = load_publish(opts.publish)
    problems = publisher_problems(values, opts.root)
    for problem in problems:
        print(f"{opts.publish.name}: {problem}", file=sys.stderr)
    if problems and not opts.draft:
        raise PackageError(f"{len(problems)} problem(s) in {opts.publish.name}; fix them, or "
                           "use --draft to write a package that is not for upload")
    return values


def make_package(opts: Options, values: dict[str, Any], endpoint: str | None,
                 mode: str) -> Path:
    if endpoint and not ARN.fullmatch(endpoint):
        raise PackageError(f"endpoint {endpoint!r} is not a Lambda function ARN")
    package = build_manifest(opts.root, values, endpoint, mode)
    problems = description_problems(package.manifest, opts.root)
    if problems and not opts.draft:
        raise PackageError("; ".join(problems))
    skill_package = write_package(opts.root, opts.out, package, opts.ask_profile)
    print(f"wrote {skill_package} for the {mode} mode"
          + ("" if endpoint else " (no endpoint yet)"))
    return skill_package


def upload(opts: Options, skill_id: str | None) -> str | None:
    """The package to the skill with the ASK CLI, if it is installed; the skill's id."""
    if opts.draft:
        print("--draft: written, not uploaded")
        return skill_id
    known = states_skill_id(opts.out, opts.ask_profile)
    if skill_id and known and known != skill_id:
        raise PackageError(f"{opts.out / ASK_STATES} is for skill {known}, but the stack is "
                           f"for {skill_id}; remove the file if {skill_id} is the right one")
    if skill_id and not known:
        write_skill_id(opts.out, opts.ask_profile, skill_id)
    if shutil.which("ask") is None:
        print("The ASK CLI is not installed (npm install -g ask-cli): upload "
              f"{opts.out / 'skill-package'} with `ask deploy --target skill-metadata` from "
              f"{opts.out}, or enter its values in the Alexa developer console.")
        return skill_id or known
    new_id = ask_deploy(opts.out, opts.ask_profile)
    print(f"skill {new_id} {'updated' if skill_id or known else 'created'} from "
          f"{opts.out / 'skill-package'}")
    return new_id


def _checked_skill_id(skill_id: str | None) -> str | None:
    if skill_id and not SKILL_ID.fullmatch(skill_id):
        raise PackageError(f"{skill_id!r} is not a skill id (amzn1.ask.skill....)")
    return skill_id


def package_command(opts: Options) -> int:
    _checked_skill_id(opts.skill_id)
    values = checked_values(opts)
    config = read_samconfig(opts.root)
    endpoint, mode = opts.endpoint, opts.mode
    if endpoint is None and config.exists:
        stack = read_stack(opts.root, config)
        endpoint, mode = stack.endpoint, mode or stack.mode
    elif endpoint is None:
        print(f"no {SAMCONFIG} (no stack yet): the package has no endpoint; `make deploy` "
              "creates the skill, then the stack, then sets the endpoint")
    make_package(opts, values, endpoint,
                 mode or config.overrides.get(MODE_PARAMETER) or PUBLISH_MODES[0])
    if opts.upload:
        upload(opts, opts.skill_id or config.skill_id)
    return 0


def deploy_command(opts: Options) -> int:
    """sam build; on a first deploy the skill first (for its id); sam deploy with that id
    (guided the first time, samconfig.toml after); the package with the stack's endpoint."""
    values = checked_values(opts)  # refuse before anything is built or created
    config = read_samconfig(opts.root)
    problem = region_problem(config.region, str(SAMCONFIG))
    if problem:
        raise PackageError(problem)
    run(["sam", "build"], opts.root)
    skill_id = _checked_skill_id(opts.skill_id or config.skill_id
                                 or states_skill_id(opts.out, opts.ask_profile))
    if skill_id is None and shutil.which("ask") and not opts.draft:
        print("First deploy: creating the skill to get its id (the stack needs it)")
        make_package(opts, values, None,
                     config.overrides.get(MODE_PARAMETER) or PUBLISH_MODES[0])
        skill_id = upload(opts, None)
    if config.exists and config.stack_name:
        cmd = ["sam", "deploy"]
        if skill_id and skill_id != config.skill_id:
            # given on the command line, overrides replace samconfig's: pass them all
            merged = {**config.overrides, "SkillId": skill_id}
            cmd += ["--parameter-overrides", *(f"{k}={v}" for k, v in merged.items())]
    else:
        # sam asks for the stack name, region and parameters, and saves them to samconfig.toml
        cmd = ["sam", "deploy", "--guided"]
        if skill_id:
            cmd += ["--parameter-overrides", f"SkillId={skill_id}"]
    run(cmd, opts.root)
    config = read_samconfig(opts.root)
    if not config.exists:
        raise PackageError(f"sam deploy saved no {SAMCONFIG}: run it again and answer yes to "
                           "saving the arguments")
    stack = read_stack(opts.root, config)
    make_package(opts, values, stack.endpoint, stack.mode)
    skill_id = upload(opts, config.skill_id or skill_id)
    print(f"deployed: stack {config.stack_name} ({stack.mode} mode), function "
          f"{stack.endpoint}, skill {skill_id}. "
          "Test it in the developer console; run `make certify` before submitting.")
    return 0
