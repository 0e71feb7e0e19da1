"""The interaction models: generated from one source, consistent, and loadable by SMAPI."""

from __future__ import annotations

import json
import re

import pytest
from ask_smapi_model.v1.skill.interaction_model.interaction_model_data import (
    InteractionModelData,
)
from ask_smapi_model.v1.skill.manifest.skill_manifest_envelope import SkillManifestEnvelope

from helpers import MODELS
from thigh_coach.alexa.handlers import ROUTES
from thigh_coach.content import get_content
from thigh_coach.model import build_model, locales, render

LOCALES = locales(get_content())


def load(locale: str) -> dict:
    return json.loads((MODELS / f"{locale}.json").read_text())


def test_every_supported_locale_has_a_model():
    assert set(LOCALES) == {"en-US", "en-GB", "en-CA", "en-AU", "en-IN"}


@pytest.mark.parametrize("locale", LOCALES)
def test_committed_model_is_what_the_source_generates(locale):
    assert (MODELS / f"{locale}.json").read_text() == render(build_model(get_content(), locale)), \
        "run: thigh-coach model"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_intent_has_a_handler(locale):
    names = {i["name"] for i in load(locale)["interactionModel"]["languageModel"]["intents"]}
    assert names <= set(ROUTES), names - set(ROUTES)


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
