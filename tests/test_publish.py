"""The publisher's values and the skill package: `thigh-coach package` refuses placeholders and
malformed values, and what it writes is a valid ASK CLI v2 skill package."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ask_sdk_core.serialize import DefaultSerializer
from ask_smapi_model.v1.skill.manifest.skill_manifest_envelope import SkillManifestEnvelope

from helpers import REPO
from thigh_coach.local import icons
from thigh_coach.local.certify import listing_problems
from thigh_coach.local.package import (
    PLACEHOLDER,
    Samples,
    build_manifest,
    models,
    publisher_problems,
)

pytestmark = pytest.mark.slow  # each test writes a skill package from the five models (a second or more each)

LOCALES = ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"]
ARN = "arn:aws:lambda:eu-west-1:123456789012:function:thigh-coach-SkillFunction-Ab12"
NOTICE = "not a substitute for professional medical advice"


def example() -> dict:
    return yaml.safe_load((REPO / "publish.example.yaml").read_text())


def filled() -> dict:
    """The example as a publisher completes it: the two policy addresses."""
    values = example()
    values["privacy_url"] = "https://coach.physio-pages.net/privacy"
    values["terms_url"] = "https://coach.physio-pages.net/terms"
    return values


def project(tmp_path: Path, values: dict | None) -> Path:
    """What `thigh-coach package` reads, copied: the models, the template, the icons."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "interaction_model", root / "interaction_model")
    shutil.copytree(REPO / "assets", root / "assets")
    if values is not None:
        (root / "publish.yaml").write_text(yaml.safe_dump(values, sort_keys=False))
    return root


def thigh_coach(root: Path, *args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": path or os.environ["PATH"]}
    return subprocess.run([sys.executable, "-m", "thigh_coach.cli", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def read_manifest(root: Path) -> dict:
    return json.loads((root / "build/skill/skill-package/skill.json").read_text())


# --- the example and the template ------------------------------------------------------------

def test_the_example_lacks_only_the_two_policy_addresses():
    problems = publisher_problems(example(), REPO)
    assert len(problems) == 2, problems
    assert problems[0].startswith("privacy_url: a placeholder is left")
    assert problems[1].startswith("terms_url: a placeholder is left")


def test_filled_in_the_example_has_no_problem():
    assert publisher_problems(filled(), REPO) == []


def test_the_template_has_no_placeholder_and_no_publisher_value():
    text = (REPO / "interaction_model/skill.json").read_text()
    assert not PLACEHOLDER.search(text)
    manifest = json.loads(text)["manifest"]
    assert "endpoint" not in manifest["apis"]["custom"]
    for locale in LOCALES:
        info = manifest["publishingInformation"]["locales"][locale]
        assert set(info) == {"description", "keywords"}  # the notice, and what the skill is
        assert NOTICE in info["description"] and "emergency" in info["description"]
        assert manifest["privacyAndCompliance"]["locales"][locale] == {}
    assert manifest["permissions"] == [{"name": "alexa::alerts:reminders:skill:readwrite"}]


def test_the_examples_phrases_are_samples_of_each_locales_model():
    for locale, model in models(REPO).items():
        samples = Samples(model)
        phrases = example()["locales"][locale]["example_phrases"]
        assert [samples.example_problem(p, first=i == 0) for i, p in enumerate(phrases)] \
            == [None] * len(phrases), locale


# --- the package ------------------------------------------------------------------------------

def test_package_writes_a_valid_ask_cli_skill_package(tmp_path):
    root = project(tmp_path, filled())
    result = thigh_coach(root, "package", "--endpoint", ARN, "--no-upload")
    assert result.returncode == 0, result.stderr
    out = root / "build/skill"
    resources = json.loads((out / "ask-resources.json").read_text())
    assert resources["profiles"]["default"]["skillMetadata"]["src"] == "./skill-package"

    text = (out / "skill-package/skill.json").read_text()
    assert not PLACEHOLDER.search(text)
    envelope = DefaultSerializer().deserialize(text, SkillManifestEnvelope)
    manifest = envelope.manifest
    assert manifest.apis.custom.endpoint.uri == ARN
    info = manifest.publishing_information
    assert [c.value for c in info.distribution_countries] == ["US", "GB", "CA", "AU", "IN"]
    assert info.is_available_worldwide is False
    assert "Reminders and the permission card" in info.testing_instructions
    assert set(info.locales) == set(LOCALES)
    for locale, published in info.locales.items():
        assert published.name == "Thigh Pain Coach"
        assert published.summary and published.description.startswith("Pain in the back")
        assert published.description.rstrip().endswith("removes them."), locale
        assert NOTICE in published.description
        assert published.example_phrases[0] == "Alexa, open thigh pain coach"
        for uri, size in ((published.small_icon_uri, 108), (published.large_icon_uri, 512)):
            assert uri.startswith("file://assets/images/")
            icon = out / "skill-package" / uri.removeprefix("file://")
            assert icons.png_size(icon.read_bytes()) == (size, size)
        policy = manifest.privacy_and_compliance.locales[locale]
        assert policy.privacy_policy_url == "https://coach.physio-pages.net/privacy"
        assert policy.terms_of_use_url == "https://coach.physio-pages.net/terms"
    for locale in LOCALES:
        copied = out / f"skill-package/interactionModels/custom/{locale}.json"
        assert copied.read_bytes() == (REPO / f"interaction_model/{locale}.json").read_bytes()
    assert "skill.json" not in {p.name for p in
                                (out / "skill-package/interactionModels/custom").iterdir()}


@pytest.mark.parametrize("mode, personal", [("questions", True), ("read-aloud", False)])
def test_the_package_carries_the_texts_of_its_publish_mode(tmp_path, mode, personal):
    root = project(tmp_path, filled())
    result = thigh_coach(root, "package", "--endpoint", ARN, "--no-upload", "--mode", mode)
    assert result.returncode == 0, result.stderr
    manifest = read_manifest(root)["manifest"]
    assert manifest["privacyAndCompliance"]["usesPersonalInfo"] is personal
    info = manifest["publishingInformation"]
    asked = example()["testing_instructions"][mode].strip()
    assert info["testingInstructions"] == asked
    promise = "asks a few short yes or no questions"
    for published in info["locales"].values():
        assert (promise in published["description"]) is personal
    assert listing_problems({mode: manifest}) == []


def test_one_text_for_both_modes_is_refused():
    values = filled()
    values["testing_instructions"] = values["testing_instructions"]["questions"]
    values["locales"]["en-GB"] = {**values["locales"]["en-GB"],
                                  "description": "Pain in the back of the thigh?"}
    problems = publisher_problems(values, REPO)
    assert problems == [
        "testing_instructions: give one text per publish mode (questions: ..., read-aloud: ...): "
        "the symptom check differs between them",
        "locales.en-GB.description: give one text per publish mode (questions: ..., "
        "read-aloud: ...): the symptom check differs between them"]
    values = filled()
    values["testing_instructions"] = {"questions": "x", "read_aloud": "y"}
    assert publisher_problems(values, REPO)[0].startswith(
        "testing_instructions: read_aloud is not a publish mode")


def test_a_problem_of_one_mode_names_it():
    values = filled()
    values["testing_instructions"]["read-aloud"] = "Say check my symptoms."
    assert publisher_problems(values, REPO) == [
        "read-aloud mode: testing_instructions: must say how to test reminders and the "
        "permission card (the skill sets reminders)"]


def test_certify_finds_a_read_aloud_listing_that_promises_questions():
    values = filled()
    values["locales"] = {locale: {**published, "description": dict(published["description"])}
                         for locale, published in values["locales"].items()}  # unshared
    values["locales"]["en-AU"]["description"]["read-aloud"] = \
        values["locales"]["en-AU"]["description"]["questions"]
    manifests = {mode: build_manifest(REPO, values, None, mode).manifest
                 for mode in ("questions", "read-aloud")}
    assert listing_problems(manifests) == [
        "read-aloud mode: the en-AU description promise yes or no questions about symptoms, "
        "which this mode never asks"]


def test_a_package_without_a_stack_has_no_endpoint_yet(tmp_path):
    root = project(tmp_path, filled())
    result = thigh_coach(root, "package", "--no-upload")
    assert result.returncode == 0, result.stderr
    assert "no endpoint" in result.stdout
    assert "endpoint" not in read_manifest(root)["manifest"]["apis"]["custom"]


def _change(values: dict, path: str, value) -> dict:
    *parents, last = path.split(".")
    target = values
    for key in parents:
        target = target[key]
    target[last] = value
    return values


def _own_locale(values: dict, locale: str) -> dict:
    values["locales"][locale] = dict(values["locales"][locale])  # not the shared anchor
    return values["locales"][locale]


BAD = {
    "example.com address": ("privacy_url", "https://example.com/privacy", "privacy_url"),
    "http address": ("terms_url", "http://coach.physio-pages.net/terms", "not an https"),
    "no address": ("terms_url", "", "terms_url: missing or empty"),
    "TODO in a description": ("locales.en-US.description", "TODO: write this",
                              "locales.en-US.description: a placeholder"),
    "REPLACE in a summary": ("locales.en-US.summary", "REPLACE-me", "placeholder"),
    "an empty name": ("locales.en-US.name", "", "locales.en-US.name: missing or empty"),
    "UK for GB": ("countries", ["US", "UK"], "(the United Kingdom is GB)"),
    "Norway read as false": ("countries", ["US", False], "quote it"),
    "a phrase that is no sample": (
        "locales.en-US.example_phrases",
        ["Alexa, open thigh pain coach", "Alexa, ask thigh pain coach to order a pizza"],
        "example_phrases[1]: 'Alexa, ask thigh pain coach to order a pizza' 'order a pizza' "
        "is not a sample utterance"),
    "a first phrase that does not open it": (
        "locales.en-US.example_phrases", ["Alexa, ask thigh pain coach to check my symptoms",
                                          "Alexa, check my symptoms"],
        "example_phrases[1]"),
    "four phrases": ("locales.en-US.example_phrases", ["Alexa, open thigh pain coach"] * 4,
                     "4 phrases, at most 3"),
    "an unknown routine": (
        "locales.en-US.example_phrases",
        ["Alexa, open thigh pain coach", "Alexa, ask thigh pain coach to start the yoga flow"],
        "is not a sample utterance"),
    "a missing icon": ("icons.small", "assets/none.png", "icons.small: assets/none.png does not"),
    "an icon of the wrong size": ("icons.large", "assets/icon-108.png", "is 108x108, not 512x512"),
    "an http icon": ("icons.small", "http://cdn.physio-pages.net/i.png", "not an https address"),
    "instructions without reminders": ("testing_instructions", "Say open thigh pain coach.",
                                       "how to test reminders and the permission card"),
    "a locale without a model": ("locales.de-DE", {"name": "Coach"}, "locales.de-DE: no "),
}


@pytest.mark.parametrize("case", list(BAD))
def test_package_refuses_placeholders_and_malformed_values(tmp_path, case):
    path, value, expected = BAD[case]
    values = filled()
    if path.startswith("locales.en-US."):
        _own_locale(values, "en-US")
    root = project(tmp_path, _change(values, path, value))
    result = thigh_coach(root, "package", "--endpoint", ARN, "--no-upload")
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr
    assert "use --draft" in result.stderr
    assert not (root / "build").exists()


def test_the_first_phrase_must_open_the_skill(tmp_path):
    values = filled()
    _own_locale(values, "en-GB")["example_phrases"] = ["Alexa, check my symptoms from thigh "
                                                       "pain coach"]
    problems = publisher_problems(values, REPO)
    assert problems == ["locales.en-GB.example_phrases[0]: 'Alexa, check my symptoms from "
                        "thigh pain coach' the first phrase must open the skill "
                        "(\"Alexa, open ...\")"]


def test_a_draft_is_written_despite_placeholders_and_never_uploaded(tmp_path):
    root = project(tmp_path, example())
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    ask = bin_dir / "ask"
    ask.write_text(f"#!/bin/sh\ntouch {tmp_path / 'ask-was-run'}\n")
    ask.chmod(0o755)
    result = thigh_coach(root, "package", "--endpoint", ARN, "--draft",
                         path=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert result.returncode == 0, result.stderr
    assert "privacy_url: a placeholder is left" in result.stderr
    assert "--draft: written, not uploaded" in result.stdout
    assert read_manifest(root)["manifest"]["apis"]["custom"]["endpoint"]["uri"] == ARN
    assert not (tmp_path / "ask-was-run").exists()


def test_package_refuses_an_endpoint_that_is_not_a_function_arn(tmp_path):
    root = project(tmp_path, filled())
    result = thigh_coach(root, "package", "--endpoint", "https://coach.physio-pages.net/",
                         "--no-upload")
    assert result.returncode == 1
    assert "is not a Lambda function ARN" in result.stderr


def test_package_without_publish_yaml_says_what_to_do(tmp_path):
    root = project(tmp_path, None)
    result = thigh_coach(root, "package", "--no-upload")
    assert result.returncode == 1
    assert "copy publish.example.yaml to publish.yaml" in result.stderr


# --- icons and policies ------------------------------------------------------------------------

def test_the_shipped_icons_are_what_the_script_draws(tmp_path):
    result = thigh_coach(REPO, "icons", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for name, size in (("icon-108.png", 108), ("icon-512.png", 512)):
        drawn = (tmp_path / name).read_bytes()
        assert icons.png_size(drawn) == (size, size)
        assert (REPO / "assets" / name).read_bytes() == drawn, f"run: make icons ({name})"


def test_the_icons_are_real_pngs():
    import zlib

    data = (REPO / "assets/icon-108.png").read_bytes()
    idat = data.index(b"IDAT")
    length = int.from_bytes(data[idat - 4:idat], "big")
    raw = zlib.decompress(data[idat + 4:idat + 4 + length])
    assert len(raw) == 108 * (1 + 108 * 3)  # a filter byte and 108 RGB pixels per row
    assert len(set(raw[1::3])) > 10  # a drawing, not a flat square


@pytest.mark.parametrize("name", ["privacy.md", "terms.md"])
def test_the_policies_are_ready_to_host(name):
    text = (REPO / "docs" / name).read_text()
    assert not PLACEHOLDER.search(text)
    assert "delete my data" in text


def test_the_privacy_policy_says_what_is_stored_for_how_long_and_how_to_delete_it():
    text = " ".join((REPO / "docs/privacy.md").read_text().split())
    for stored in ("routine", "hold length", "side", "reminder", "last visit", "locale"):
        assert stored in text, stored
    assert "90 days after the last change" in text
    assert "never stored and never written to a log" in text
    assert '"delete my data"' in text and '"yes"' in text


def test_the_terms_say_it_is_not_medical_advice():
    text = " ".join((REPO / "docs/terms.md").read_text().split())
    assert "not a substitute for professional medical advice" in text
    assert "emergency number" in text
