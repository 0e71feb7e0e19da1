"""The interaction models: generated from phrase patterns, consistent, within Alexa's limits."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from ask_smapi_model.v1.skill.interaction_model.interaction_model_data import (
    InteractionModelData,
)
from ask_smapi_model.v1.skill.manifest.skill_manifest_envelope import SkillManifestEnvelope

from helpers import MODELS, understanding
from thigh_coach.alexa.handlers import ROUTES, WARNING_SIGNS, route_for
from thigh_coach.content import get_content
from thigh_coach.model import MAX_VALUE_WORDS, MODEL_BUDGET, build_model, locales, render

LOCALES = locales(get_content())

# Alexa's interaction model limits. The official table ("Interaction model limits",
# developer.amazon.com/en-GB/docs/alexa/custom-skills/create-the-interaction-model-for-your-skill.html#limits)
# gives the model size, intents, intents plus slot types, and characters per slot value or
# synonym. The slot value count is the long-standing 50,000 that developers report hitting
# (github.com/alexa-js/alexa-app/pull/34, github.com/m0ngr31/kanzi/issues/82). No number for
# samples per intent or characters per sample was found documented: the two caps below are
# ours, well inside anything reported.
MAX_MODEL_BYTES = 1_500_000
MAX_INTENTS = 250
MAX_INTENTS_AND_TYPES = 350
MAX_VALUE_CHARS = 140
MAX_SLOT_VALUES = 50_000
MAX_SAMPLES_PER_INTENT = 2_000  # ours
MAX_SAMPLE_CHARS = 200  # ours
# Sample and value text: words, apostrophes, hyphens, periods of spoken letters ("A. and E."),
# no digits (Alexa's rules for sample utterances: numbers are written as words).
SAMPLE_TEXT = re.compile(r"^[A-Za-z][A-Za-z .'\-]*$")
# Words that begin everyday speech ("wait a minute", "do I need an MRI", "actually no"): a
# custom slot right after them would swallow such phrases.
EVERYDAY_STARTS = {
    "", "wait", "actually", "help", "do", "but", "also", "and", "so", "okay", "ok", "um", "oh",
    "well", "please", "just", "now", "then", "hold on", "hang on", "i", "i think", "i mean",
    "it's", "it is", "yes", "yeah", "no", "what", "the", "is", "can", "right", "alright", "hey",
}


def load(locale: str) -> dict:
    return json.loads((MODELS / f"{locale}.json").read_text())


def language(locale: str) -> dict:
    return load(locale)["interactionModel"]["languageModel"]


def test_every_supported_locale_has_a_model():
    assert set(LOCALES) == {"en-US", "en-GB", "en-CA", "en-AU", "en-IN"}


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_committed_model_is_what_the_source_generates(locale):
    assert (MODELS / f"{locale}.json").read_text() == render(build_model(get_content(), locale)), \
        "run: thigh-coach model"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_intent_has_a_handler(locale):
    names = {i["name"] for i in load(locale)["interactionModel"]["languageModel"]["intents"]}
    fallback = ROUTES["AMAZON.FallbackIntent"]
    unrouted = {n for n in names - {"AMAZON.FallbackIntent"} if route_for(n) is fallback}
    assert not unrouted


def test_each_warning_sign_intent_gets_the_advice_of_the_flag_the_model_names():
    source = yaml.safe_load((MODELS.parent / "content" / "interaction.yaml").read_text())
    named = {name: spec["flag"] for name, spec in source["intents"].items()
             if spec and spec.get("flag")}
    assert named == WARNING_SIGNS
    flags = {f.id for f in get_content().triage.red_flags if f.phrases}
    assert set(WARNING_SIGNS.values()) == flags  # every sign said in words has an intent


@pytest.mark.parametrize("locale", LOCALES)
def test_no_sample_is_only_custom_slots_and_no_value_is_a_sentence(locale):
    """A classifier learns an intent from its carrier words, and a slot holds an entity: a
    sample made only of custom slots teaches nothing, and a sentence as a value resolves only
    when said word for word. (A time said alone, "seven pm", is AMAZON.TIME's own.)"""
    lang = language(locale)
    for intent in lang["intents"]:
        types = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for sample in intent["samples"]:
            refs = re.findall(r"\{(\w+)\}", sample)
            if refs and not re.sub(r"\{\w+\}", "", sample).strip():
                assert all(types[r].startswith("AMAZON.") for r in refs), (intent["name"], sample)
    values = [n for t in lang["types"] for v in t["values"]
              for n in [v["name"]["value"], *v["name"]["synonyms"]]]
    assert max(len(v.split()) for v in values) <= MAX_VALUE_WORDS


@pytest.mark.parametrize("locale", LOCALES)
def test_each_model_leaves_half_of_alexas_limit_for_content_to_grow(locale):
    assert len((MODELS / f"{locale}.json").read_bytes()) <= MODEL_BUDGET


@pytest.mark.parametrize("locale", LOCALES)
def test_no_sample_utterance_is_in_two_intents(locale):
    owner: dict[str, str] = {}
    for intent in load(locale)["interactionModel"]["languageModel"]["intents"]:
        for sample in intent.get("samples", []):
            key = " ".join(sample.lower().split())
            assert key not in owner, f"{sample!r} in {owner.get(key)} and {intent['name']}"
            owner[key] = intent["name"]


@pytest.mark.parametrize("locale", LOCALES)
def test_slot_references_exist(locale):
    language = load(locale)["interactionModel"]["languageModel"]
    types = {t["name"] for t in language.get("types", [])}
    for intent in language["intents"]:
        slots = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            for ref in re.findall(r"\{(\w+)\}", sample):
                assert ref in slots, f"{intent['name']}: {sample!r} names no slot {ref}"
        for slot_type in slots.values():
            assert slot_type.startswith("AMAZON.") or slot_type in types


@pytest.mark.parametrize("locale", LOCALES)
def test_slot_values_have_stable_unique_ids(locale):
    for slot_type in load(locale)["interactionModel"]["languageModel"].get("types", []):
        ids = [v["id"] for v in slot_type["values"]]
        assert all(ids) and len(ids) == len(set(ids)), slot_type["name"]


@pytest.mark.parametrize("locale", LOCALES)
def test_model_deserialises_with_the_smapi_model_classes(locale):
    from ask_sdk_core.serialize import DefaultSerializer

    model = DefaultSerializer().deserialize(
        (MODELS / f"{locale}.json").read_text(), InteractionModelData)
    language = model.interaction_model.language_model
    assert language.invocation_name == "thigh pain coach"
    assert language.intents and all(i.name for i in language.intents)


def test_manifest_deserialises_and_carries_the_disclaimer_for_every_locale():
    from ask_sdk_core.serialize import DefaultSerializer

    text = (MODELS / "skill.json").read_text()
    manifest = DefaultSerializer().deserialize(text, SkillManifestEnvelope).manifest
    published = manifest.publishing_information.locales
    assert set(published) == set(LOCALES)
    for info in published.values():
        assert "not a substitute for professional medical advice" in info.description
        assert "emergency" in info.description
    assert set(manifest.privacy_and_compliance.locales) == set(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_model_is_within_alexas_limits(locale):
    lang = language(locale)
    assert len((MODELS / f"{locale}.json").read_bytes()) <= MAX_MODEL_BYTES
    assert len(lang["intents"]) <= MAX_INTENTS
    assert len(lang["intents"]) + len(lang["types"]) <= MAX_INTENTS_AND_TYPES
    values = [n for t in lang["types"] for v in t["values"]
              for n in [v["name"]["value"], *v["name"]["synonyms"]]]
    assert len(values) <= MAX_SLOT_VALUES
    too_long = [n for n in values if len(n) > MAX_VALUE_CHARS]
    assert not too_long, too_long[:5]
    for intent in lang["intents"]:
        assert len(intent["samples"]) <= MAX_SAMPLES_PER_INTENT, intent["name"]
        long_samples = [x for x in intent["samples"] if len(x) > MAX_SAMPLE_CHARS]
        assert not long_samples, long_samples[:5]


@pytest.mark.parametrize("locale", LOCALES)
def test_samples_and_values_are_written_as_alexa_requires(locale):
    lang = language(locale)
    bad = [x for i in lang["intents"] for x in i["samples"]
           if not SAMPLE_TEXT.match(re.sub(r"\{\w+\}", "slot", x))]
    bad += [n for t in lang["types"] for v in t["values"]
            for n in [v["name"]["value"], *v["name"]["synonyms"]] if not SAMPLE_TEXT.match(n)]
    assert not bad, bad[:10]


@pytest.mark.parametrize("locale", LOCALES)
def test_no_custom_slot_follows_a_word_that_starts_everyday_speech(locale):
    lang = language(locale)
    for intent in lang["intents"]:
        types = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for sample in intent["samples"]:
            for m in re.finditer(r"\{(\w+)\}", sample):
                if (types[m.group(1)].startswith("AMAZON.") or m.start() == 0
                        or sample[m.end():].strip()):
                    continue  # a built-in slot, a slot said alone, or words after it bound it
                before = sample[:m.start()].strip().lower()
                assert before not in EVERYDAY_STARTS, f"{intent['name']}: {sample!r}"


def test_each_locale_has_its_own_words():
    """Regional words are in their own locale's model, and heard there."""
    def words(locale: str) -> set[str]:
        lang = language(locale)
        phrases = [*(x for i in lang["intents"] for x in i["samples"]),
                   *(n for t in lang["types"] for v in t["values"]
                     for n in [v["name"]["value"], *v["name"]["synonyms"]])]
        return {w.lower() for p in phrases for w in p.split()}

    for locale in ("en-GB", "en-AU"):
        assert {"wee", "bum", "mum"} <= words(locale)
        assert understanding(locale).match("I can't wee").intent == "WarningCaudaEquinaIntent"
    for locale in ("en-US", "en-CA"):
        assert {"pee", "mom"} <= words(locale)
    assert "motions" in words("en-IN") and "motions" not in words("en-US")
    india = understanding("en-IN")
    assert india.match("I am having chest pain").intent == "WarningChestIntent"
    assert india.match("I am not able to pass urine").intent == "WarningCaudaEquinaIntent"


def test_generation_expands_templates_with_hassil():
    from thigh_coach.model import expander

    exp = expander(get_content(), "en-GB")
    assert exp.expand("[okay] <who1> (can't|cannot) get up", "test")[:2] == [
        "okay I can't get up", "okay I cannot get up"]
