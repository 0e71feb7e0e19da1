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

import heapq
import json
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .content import Content, ContentError

MODEL_DIR_NAME = "interaction_model"
MAX_VALUE_WORDS = 5  # a slot value is an entity ("a pulled hamstring"), never a sentence
DEFAULT_CAP = 200  # samples an intent keeps, chosen for coverage of words (see _select)
SHAPE_SAMPLES = 1  # the shortest sayings of each template that an intent keeps first
MODEL_BUDGET = 750_000  # bytes a locale's model may use: half of Alexa's 1.5 MB, room to grow
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
        "ROUTINE": {r.id: [r.name, *r.synonyms] for r in content.routines.values()},
    }


def locales(content: Content) -> list[str]:
    return list(_source(content)["locales"])


def expander(content: Content, locale: str) -> Expander:
    source = _source(content)
    if locale not in source["locales"]:
        raise ContentError(f"interaction.yaml: locales: {locale} is not listed")
    rules = {name: _rule_body(body) for name, body in (source.get("rules") or {}).items()}
    local = {name: _rule_body(body)
             for name, body in ((source.get("locale_rules") or {}).get(locale) or {}).items()}
    unknown = set(local) - set(rules)
    if unknown:
        raise ContentError(f"interaction.yaml: locale_rules.{locale}: no shared rule {sorted(unknown)}")
    return Expander({**rules, **local}, locale)


def _type_names(content: Content, source: dict[str, Any], exp: Expander,
                type_name: str) -> dict[str, list[str]]:
    """Every phrase of a slot type, by id: the content's names and the type's templates."""
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
    names = {}
    for ident in [*from_content, *(i for i in patterns if i not in from_content)]:
        expanded = exp.expand_all([*(_escape(n) for n in from_content.get(ident, [])),
                                   *(patterns.get(ident) or [])], f"types.{type_name}.{ident}")
        names[ident] = [n for n in expanded if n.casefold() not in excluded]
    return names


def _type_values(content: Content, source: dict[str, Any], exp: Expander,
                 type_name: str) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The type's values, and its phrases too long to be a value (id -> phrases)."""
    owner: dict[str, str] = {}
    clashes: list[str] = []
    values = []
    long: dict[str, list[str]] = {}
    for ident, names in _type_names(content, source, exp, type_name).items():
        long[ident] = [n for n in names if len(n.split()) > MAX_VALUE_WORDS]
        names = [n for n in names if len(n.split()) <= MAX_VALUE_WORDS]
        for n in names:
            if owner.setdefault(n.casefold(), ident) != ident:
                clashes.append(f"{n!r} ({owner[n.casefold()]}, {ident})")
        if not names:
            raise ContentError(f"interaction.yaml: types.{type_name}.{ident}: no values of at most "
                               f"{MAX_VALUE_WORDS} words")
        values.append({"id": ident, "name": {"value": names[0], "synonyms": names[1:]}})
    if clashes:
        raise ContentError(f"interaction.yaml ({exp.locale}): types.{type_name}: values of two ids: "
                           + "; ".join(clashes[:40]) + (" ..." if len(clashes) > 40 else ""))
    return values, long


def described_intent(prefix: str, ident: str) -> str:
    """The intent that holds an id's phrases too long for a slot value: TopicSleepingIntent."""
    return prefix + "".join(part.capitalize() for part in ident.split("_")) + "Intent"


def _grams(phrase: str) -> set[str]:
    """What a phrase teaches a classifier: its words, word pairs, and how it starts and ends."""
    words = phrase.casefold().split()
    return {*words, *(" ".join(p) for p in zip(words, words[1:], strict=False)),
            "^" + words[0], words[-1] + "$"} if words else set()


def _shortest(phrases: list[str], n: int) -> list[str]:
    """The n shortest phrases (fewest words, then the plainest: fewest contractions, then
    letters), each starting differently."""
    out: list[str] = []
    for phrase in sorted(phrases, key=lambda p: (len(p.split()), p.count("'"), len(p))):
        if len(out) == n:
            break
        if all(phrase.split()[0].casefold() != o.split()[0].casefold() for o in out):
            out.append(phrase)
    return out


def _select(phrases: list[str], cap: int, covered: set[str] | None = None,
            shapes: Sequence[str] = ()) -> list[str]:
    """At most `cap` phrases, chosen greedily for the words, then the word pairs, they add.

    Every combination of the patterns would teach a classifier the same words many times over
    and fill the model; a cover of the words and structures teaches as much in far fewer
    samples. Phrases of one or two words come first (what people say most: "repeat", "chest
    pain"), then some of three or four ("I think so"); then every word at least once (a regional
    word is never dropped for a common one); then word pairs, starts and ends. Ties go to
    the earlier phrase: deterministic.
    """
    covered = set() if covered is None else covered
    if cap <= 0:
        return []
    chosen = [i for i, p in enumerate(phrases) if len(p.split()) <= 2][:cap]
    # then each template's shortest sayings: a structure said once, plainly, before the long
    # combinations that cover the most word pairs ("I'm breathing fine", not only "nah I'm
    # breathing fine no problem")
    index = {p: i for i, p in enumerate(phrases)}
    for shape in shapes:
        i = index.get(shape)
        if i is not None and i not in chosen and len(chosen) < cap:
            chosen.append(i)
    for i in chosen:
        covered |= _grams(phrases[i])

    def cover(grams: list[set[str]], pool: set[int], limit: int) -> None:
        heap = [(-len(grams[i] - covered), i) for i in sorted(pool - set(chosen))]
        heapq.heapify(heap)
        while heap and len(chosen) < limit:
            negative_gain, i = heapq.heappop(heap)
            gain = len(grams[i] - covered)
            if gain == 0:
                break
            if gain < -negative_gain:  # stale: put it back with its current gain
                heapq.heappush(heap, (-gain, i))
                continue
            chosen.append(i)
            covered.update(_grams(phrases[i]))

    everything = set(range(len(phrases)))
    full = [_grams(p) for p in phrases]
    cover(full, {i for i in everything if len(phrases[i].split()) in (3, 4)}, len(chosen) + cap // 3)
    cover([set(p.casefold().split()) for p in phrases], everything, cap)
    cover(full, everything, cap)
    # then word triples, for more word orders; the cap is a most, not a target: a phrase
    # that teaches nothing new is not worth the model's space
    cover([_grams(p) | _triples(p) for p in phrases], everything, cap)
    return [phrases[i] for i in sorted(chosen)]


def _triples(phrase: str) -> set[str]:
    words = phrase.casefold().split()
    return {" ".join(t) for t in zip(words, words[1:], words[2:], strict=False)}


def _composed(bodies: list[str], compose: dict[str, Any], exp: Expander, where: str,
              rng: random.Random) -> list[str]:
    """Each body with something said before it, after it, or both (sampled, not multiplied)."""
    def expansions(key: str) -> list[list[str]]:
        templates = compose.get(key) or []
        return [p for p in (exp.expand(t, f"{where}.compose.{key}") for t in templates) if p]

    befores, afters = expansions("before"), expansions("after")

    def pick(options: list[list[str]]) -> str:
        return rng.choice(rng.choice(options))

    out: list[str] = []
    for body in bodies:
        if befores:
            out.append(f"{pick(befores)} {body}")
        if afters:
            out.append(f"{body} {pick(afters)}")
        if befores and afters:
            out.append(f"{pick(befores)} {body} {pick(afters)}")
    return [c for c in map(_clean, out) if _one_person(c)]


def _rule_body(body: str | list[str] | None) -> str | None:
    """A rule is one template, or a list of templates meaning any one of them."""
    if isinstance(body, list):
        return "(" + "|".join(body) + ")"
    return body


def _escape(text: str) -> str:
    """A content name taken literally, not as a template."""
    return re.sub(r"([()\[\]{}<>|;])", r"\\\1", text)


def build_model(content: Content, locale: str) -> dict[str, Any]:  # noqa: C901 - over the limit when the rule came in (2026-12-03)
    source = _source(content)
    exp = expander(content, locale)
    specs: dict[str, dict[str, Any]] = {name: spec or {} for name, spec in source["intents"].items()}
    per_value = {name: spec["per_value"] for name, spec in specs.items() if spec.get("per_value")}
    used_types = list(dict.fromkeys(t for name, spec in specs.items()
                                    for t in (spec.get("slots") or {}).values()
                                    if not t.startswith("AMAZON.") and t != per_value.get(name)))
    types = []
    described: dict[str, list[str]] = {}  # an intent -> phrases that describe an id in words
    for type_name in used_types:
        values, long = _type_values(content, source, exp, type_name)
        types.append({"name": type_name, "values": values})
        prefix = (source.get("described") or {}).get(type_name)
        for ident, phrases in long.items():
            if not phrases:
                continue
            if not prefix:
                raise ContentError(f"interaction.yaml ({locale}): types.{type_name}.{ident}: values "
                                   f"longer than {MAX_VALUE_WORDS} words: {phrases[:3]}")
            described.setdefault(described_intent(prefix, ident), []).extend(phrases)

    # the samples each intent is written with, then what is said around them
    base: dict[str, list[str]] = {}
    kept: dict[str, list[str]] = {}  # samples an intent always keeps: store example phrases...
    made_from: dict[str, str] = {}  # an intent made per value (TopicColdHeatIntent) -> its spec
    shapes: dict[str, list[str]] = {}  # each template's shortest sayings: every structure taught
    owner: dict[str, str] = {}
    clashes: list[str] = []
    flags = {f.id: f for f in content.triage.red_flags}
    for name, spec in specs.items():
        slots = spec.get("slots") or {}
        if spec.get("flag") is not None and spec["flag"] not in flags:
            raise ContentError(f"interaction.yaml: intents.{name}: no red flag {spec['flag']!r}")
        kept[name] = exp.expand_all(spec.get("keep") or [], f"intents.{name}.keep")
        samples = exp.expand_all([*kept[name], *(spec.get("samples") or [])], f"intents.{name}")
        for sample in samples:
            refs = re.findall(r"\{(\w+)\}", sample)
            for ref in refs:
                if ref not in slots:
                    raise ContentError(f"interaction.yaml: intents.{name}: {sample!r}: no slot {ref}")
            if refs and not re.sub(r"\{\w+\}", "", sample).strip() and any(
                    not slots[r].startswith("AMAZON.") for r in refs):
                raise ContentError(f"interaction.yaml: intents.{name}: {sample!r} is only slots: "
                                   "a classifier learns nothing from it")
        if name in per_value:
            made = _per_value(content, source, exp, name, samples, slots, per_value[name])
            base.update(made)
            made_from.update(dict.fromkeys(made, name))
            continue
        base[name] = samples
        shapes[name] = [s for template in spec.get("samples") or []
                        for s in _shortest(exp.expand(template, f"intents.{name}"), SHAPE_SAMPLES)]
    # a warning sign's phrases in triage.yaml: samples of the first intent of its flag, unless
    # an intent of that flag says them already
    owner_of = {p.casefold(): name for name, samples in base.items() for p in samples}
    for flag in dict.fromkeys(spec["flag"] for spec in specs.values() if spec.get("flag")):
        first = next(n for n, spec in specs.items() if spec.get("flag") == flag)
        phrases = exp.expand_all([_escape(x) for x in flags[flag].phrases], f"triage.{flag}.phrases")
        base[first] += [p for p in phrases if p.casefold() not in owner_of]
        for phrase in phrases:  # the phrases the review pack shows are always samples
            intent_kept = kept.setdefault(owner_of.get(phrase.casefold(), first), [])
            if phrase not in intent_kept:
                intent_kept.append(phrase)
    for name, phrases in described.items():
        base.setdefault(name, []).extend(p for p in phrases if p not in base.get(name, ()))
    for name, samples in base.items():
        for sample in samples:
            key = sample.casefold()
            if owner.setdefault(key, name) != name:
                clashes.append(f"{sample!r} ({owner[key]}, {name})")
    if clashes:  # every one at once: fixing them one build at a time is slow
        raise ContentError(f"interaction.yaml ({locale}): samples in two intents: "
                           + "; ".join(clashes[:40]) + (" ..." if len(clashes) > 40 else ""))

    fillers = exp.expand(source.get("fillers") or "", "fillers") if source.get("fillers") else []
    intents: list[dict[str, Any]] = []
    for name, samples in base.items():
        spec = specs.get(name) or specs.get(made_from.get(name, ""), {})
        rng = random.Random(f"{name}:{locale}")
        extra = _composed(samples, spec["compose"], exp, f"intents.{name}", rng) \
            if spec.get("compose") else []
        if fillers and spec.get("fillers", True) and samples:  # "okay so ...", "wait ..."
            extra += [_clean(f"{rng.choice(fillers)} {s}") for s in samples if rng.random() < 0.2]
        # a composed phrase that an intent says already is left out, never a clash
        own = {x.casefold() for x in samples}
        extra = [e for e in dict.fromkeys(extra)
                 if e.casefold() not in own and owner.setdefault(e.casefold(), name) == name]
        extra = list({e.casefold(): e for e in extra}.values())
        cap = int(spec.get("cap", source.get("cap", DEFAULT_CAP)))
        # the store's example phrases (certification checks them) and the review pack's
        must = kept.get(name, [])
        covered = {g for k in must for g in _grams(k)}
        rest = [x for x in samples if x not in must]
        share = float(spec.get("composed_share", source.get("composed_share", 0.25)))
        chosen = must + _select(rest, cap - len(must) - min(len(extra), int(cap * share)), covered,
                                shapes.get(name, []))
        chosen += _select(extra, cap - len(chosen), covered)
        intent: dict[str, Any] = {"name": name, "samples": chosen}
        slots = {} if name in made_from else spec.get("slots") or {}
        if slots:
            intent["slots"] = [{"name": s, "type": t} for s, t in slots.items()]
        intents.append(intent)
    return {"interactionModel": {"languageModel": {
        "invocationName": source["invocation"], "intents": intents, "types": types}}}


def _per_value(content: Content, source: dict[str, Any], exp: Expander, name: str,
               carriers: list[str], slots: dict[str, str], type_name: str) -> dict[str, list[str]]:
    """One intent per id of a slot type, in place of one intent with the slot: each id's
    phrases alone, and the carriers with them sampled in (TopicColdHeatIntent: "ice or heat",
    "should I use ice", ...). Meaning lives in intents; a classifier then never has to split
    its confidence between "a topic" and "this topic"."""
    prefix = (source.get("described") or {}).get(type_name)
    if not prefix:
        raise ContentError(f"interaction.yaml: intents.{name}: per_value {type_name} needs a "
                           "`described` prefix")
    own = [s for s, t in slots.items() if t == type_name]
    out: dict[str, list[str]] = {}
    for ident, names in _type_names(content, source, exp, type_name).items():
        rng = random.Random(f"{name}:{ident}:{exp.locale}")
        short = [n for n in names if len(n.split()) <= MAX_VALUE_WORDS]
        phrases = list(names)
        for carrier in carriers:
            for _ in range(2):
                text = carrier
                for slot in own:
                    text = text.replace("{" + slot + "}", rng.choice(short or names))
                phrases.append(_clean(text))
        out[described_intent(prefix, ident)] = list(dict.fromkeys(phrases))
    return out


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
