"""Interaction models, generated from phrase patterns: content/interaction.yaml plus the content.

Every intent's samples and every custom slot value are written in interaction.yaml as a few
templates in hassil's syntax (`(a|b)` alternatives, `[optional]` words, `<rule>` references,
`{slot}` references), and expanded here with hassil's own parser and sampler. Rules can be
replaced per locale (`locale_rules`), which is how one template says "wee" in en-GB and "pee"
in en-US; a locale whose rule is null drops every template that uses it. Causes, red flags and
routines also give their content names (causes.yaml, triage.yaml, routines.yaml) as values of
CAUSE, RED_FLAG and ROUTINE, with the content's stable ids.

Dev time only: `thigh-coach model` and the tests import this module; the Lambda never does, so
hassil is a dev dependency.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .content import Content, ContentError

MODEL_DIR_NAME = "interaction_model"
_RULE_REF = re.compile(r"<(\w+)>")


def _source(content: Content) -> dict[str, Any]:
    return _read_source(content.directory / "interaction.yaml")


@cache
def _read_source_text(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ContentError("interaction.yaml: not a mapping")
    return data


def _read_source(path: Path) -> dict[str, Any]:
    try:
        return _read_source_text(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"interaction.yaml: {exc}") from None


# A phrase that speaks of a woman and a man at once ("she can't feel his foot", "my mum's got
# pain in his thigh"), or that begins with "she" and goes on with "my" ("she fell off my chair"),
# is what a template's alternatives multiply into, not what people say about one person: such
# expansions are dropped (about 30 kB a locale of the 1.5 MB the model may use).
_FEMALE = re.compile(r"\b(she|she's|her|hers|herself|mum|mom|mother|mummy|mam|ma|wife|daughter|"
                     r"grandma|grandmother|gran|nan|nana|nanna|granny|nani|dadi|sister|aunt|auntie|"
                     r"girlfriend|niece|granddaughter)\b", re.IGNORECASE)
_MALE = re.compile(r"\b(he|he's|his|him|himself|dad|father|papa|daddy|husband|son|grandad|grandpa|"
                   r"grandfather|brother|uncle|boyfriend|nephew|grandson|hubby)\b", re.IGNORECASE)


_THIRD = re.compile(r"^(she|he|they|she's|he's|they're)\b.*\b(my|myself)\b", re.IGNORECASE)
_FIRST = re.compile(r"^(I|I'm|I've)\b.*\b(herself|himself|themselves)\b")


def _one_person(phrase: str) -> bool:
    """Not two people where one is meant: "she ... his", "she fell off my chair", "I wet herself"."""
    if _FEMALE.search(phrase) and _MALE.search(phrase):
        return False
    if _THIRD.search(phrase):
        return False
    return not (_FIRST.search(phrase) and not re.search(r"\b(she|he|they)\b", phrase))


def _clean(text: str) -> str:
    """Whitespace normalised; a contraction written after a rule ("<who> 's") joins its word."""
    return re.sub(r" '(s|m|re|ve|ll|d)\b", r"'\1", " ".join(text.split()))


class Expander:
    """One locale's templates -> phrases, with hassil's parser and sampler."""

    def __init__(self, rules: Mapping[str, str | None], locale: str) -> None:
        from hassil import parse_sentence  # dev dependency: imported only when generating

        self.locale = locale
        self.dropped = {name for name, body in rules.items() if body is None}
        self.rule_text = {name: body for name, body in rules.items() if body is not None}
        try:
            self.rules = {name: parse_sentence(body) for name, body in self.rule_text.items()}
        except Exception as exc:  # hassil raises several parse error types
            raise ContentError(f"interaction.yaml: rules ({locale}): {exc}") from None
        self._parse = parse_sentence

    def _uses_dropped(self, template: str, seen: frozenset[str] = frozenset()) -> bool:
        for name in _RULE_REF.findall(template):
            if name in self.dropped:
                return True
            if name not in seen and name in self.rule_text and self._uses_dropped(
                    self.rule_text[name], seen | {name}):
                return True
        return False

    def expand(self, template: str, where: str) -> list[str]:
        """Every phrase the template stands for, in order, without duplicates."""
        from hassil import sample_expression

        if self._uses_dropped(template):
            return []
        try:
            sentence = self._parse(template)
            phrases = sample_expression(sentence.expression, {}, self.rules, expand_lists=False)
            return list(dict.fromkeys(c for c in map(_clean, phrases) if c and _one_person(c)))
        except Exception as exc:  # an unknown <rule> or a syntax error, named with its place
            raise ContentError(f"interaction.yaml: {where}: {template!r}: {exc}") from None

    def expand_all(self, templates: Iterable[str], where: str) -> list[str]:
        out: dict[str, str] = {}
        for template in templates:
            if not isinstance(template, str):
                raise ContentError(f"interaction.yaml: {where}: {template!r} is not a string")
            for phrase in self.expand(template, where):
                out.setdefault(phrase.casefold(), phrase)
        return list(out.values())


def _content_types(content: Content) -> dict[str, dict[str, list[str]]]:
    """Slot values the content names: type -> id -> [name, synonyms...]."""
    return {
        "CAUSE": {c.id: [c.name, *c.synonyms] for c in content.causes.values()},
        # a flag that only groups signs for the check (no phrases) is not said on its own
        "RED_FLAG": {f.id: list(f.phrases) for f in content.triage.red_flags if f.phrases},
        "ROUTINE": {r.id: [r.name, *r.synonyms] for r in content.routines.values()},
    }


def locales(content: Content) -> list[str]:
    return list(_source(content)["locales"])


def expander(content: Content, locale: str) -> Expander:
    source = _source(content)
    if locale not in source["locales"]:
        raise ContentError(f"interaction.yaml: locales: {locale} is not listed")
    rules = dict(source.get("rules") or {})
    local = (source.get("locale_rules") or {}).get(locale) or {}
    unknown = set(local) - set(rules)
    if unknown:
        raise ContentError(f"interaction.yaml: locale_rules.{locale}: no shared rule {sorted(unknown)}")
    return Expander({**rules, **local}, locale)


def _type_values(content: Content, source: dict[str, Any], exp: Expander,
                 type_name: str) -> list[dict[str, Any]]:
    from_content = _content_types(content).get(type_name, {})
    # a content name that would mean two things said alone ("sciatica": the cause, or the
    # routine?) can be left out of one type; it still names its id inside longer phrases
    excluded = {n.casefold() for n in (source.get("exclude_values") or {}).get(type_name, [])}
    patterns = (source.get("types") or {}).get(type_name)
    if patterns is None and not from_content:
        raise ContentError(f"interaction.yaml: slot type {type_name} has no values")
    patterns = patterns or {}
    if from_content and set(patterns) - set(from_content):
        raise ContentError(f"interaction.yaml: types.{type_name}: ids not in the content: "
                           f"{sorted(set(patterns) - set(from_content))}")
    owner: dict[str, str] = {}
    clashes: list[str] = []
    values = []
    for ident in [*from_content, *(i for i in patterns if i not in from_content)]:
        names = exp.expand_all([*(_escape(n) for n in from_content.get(ident, [])),
                                *(patterns.get(ident) or [])], f"types.{type_name}.{ident}")
        names = [n for n in names if n.casefold() not in excluded]
        for n in names:
            if owner.setdefault(n.casefold(), ident) != ident:
                clashes.append(f"{n!r} ({owner[n.casefold()]}, {ident})")
        if not names:
            raise ContentError(f"interaction.yaml: types.{type_name}.{ident}: no values")
        values.append({"id": ident, "name": {"value": names[0], "synonyms": names[1:]}})
    if clashes:
        raise ContentError(f"interaction.yaml ({exp.locale}): types.{type_name}: values of two ids: "
                           + "; ".join(clashes[:40]) + (" ..." if len(clashes) > 40 else ""))
    return values


def _escape(text: str) -> str:
    """A content name taken literally, not as a template."""
    return re.sub(r"([()\[\]{}<>|;])", r"\\\1", text)


def build_model(content: Content, locale: str) -> dict[str, Any]:
    source = _source(content)
    exp = expander(content, locale)
    intents: list[dict[str, Any]] = []
    used_types: list[str] = []
    owner: dict[str, str] = {}
    clashes: list[str] = []
    for name, spec in source["intents"].items():
        spec = spec or {}
        slots = spec.get("slots") or {}
        samples = exp.expand_all(spec.get("samples") or [], f"intents.{name}")
        for sample in samples:
            key = sample.casefold()
            if owner.setdefault(key, name) != name:
                clashes.append(f"{sample!r} ({owner[key]}, {name})")
            for ref in re.findall(r"\{(\w+)\}", sample):
                if ref not in slots:
                    raise ContentError(f"interaction.yaml: intents.{name}: {sample!r}: no slot {ref}")
        intent: dict[str, Any] = {"name": name, "samples": samples}
        if slots:
            intent["slots"] = [{"name": s, "type": t} for s, t in slots.items()]
            used_types += [t for t in slots.values() if not t.startswith("AMAZON.")]
        intents.append(intent)
    if clashes:  # every one at once: fixing them one build at a time is slow
        raise ContentError(f"interaction.yaml ({locale}): samples in two intents: "
                           + "; ".join(clashes[:40]) + (" ..." if len(clashes) > 40 else ""))
    types = [{"name": t, "values": _type_values(content, source, exp, t)}
             for t in dict.fromkeys(used_types)]
    return {"interactionModel": {"languageModel": {
        "invocationName": source["invocation"], "intents": intents, "types": types}}}


def render(model: dict[str, Any]) -> str:
    # One value a line keeps diffs readable; no indentation keeps the file inside the size limit.
    return json.dumps(model, indent=0, ensure_ascii=False) + "\n"


def write_models(content: Content, out_dir: Path) -> list[Path]:
    written = []
    for locale in locales(content):
        path = out_dir / f"{locale}.json"
        path.write_text(render(build_model(content, locale)), encoding="utf-8")
        written.append(path)
    return written
