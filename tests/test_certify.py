"""`thigh-coach certify` against the example publisher values, as a publisher runs it; and each
rule shown to fail when what it checks is wrong."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import REPO
from thigh_coach.local import certify
from thigh_coach.local.package import models

pytestmark = pytest.mark.slow  # each test runs `thigh-coach certify` as a publisher does (seconds each)

WALK = "every open response asks a question"
STOP = "Stop and Cancel end the session"
ENDED = "SessionEndedRequest is silent"
PHRASES = "example phrases are samples of the model"
PLACEHOLDERS = "the manifest has no placeholders"
WELL_FORMED = "publisher values are well formed"
LISTING = "the store listing and testing instructions match each publish mode"
PERMISSIONS = "permissions match the features"
DISCLAIMER = "the disclaimer is in every locale's description"
SCOPE = "alexa::alerts:reminders:skill:readwrite"


def run_certify(cwd: Path, publish: Path | str) -> tuple[int, dict[str, list[str]], str]:
    """Exit code, and per rule its PASS/FAIL line followed by its problem lines."""
    result = subprocess.run([sys.executable, "-m", "thigh_coach.cli", "certify", "--publish",
                             str(publish)], cwd=cwd, capture_output=True, text=True,
                            timeout=300)
    rules: dict[str, list[str]] = {}
    current = None
    for line in result.stdout.splitlines():
        verdict = re.match(r"(PASS|FAIL)  ([^:]+)", line)
        if verdict:
            current = verdict.group(2)
            rules[current] = [verdict.group(1)]
        elif line.startswith("      ") and current:
            rules[current].append(line.strip())
    return result.returncode, rules, result.stdout + result.stderr


@pytest.fixture(scope="module")
def example_run():
    return run_certify(REPO, "publish.example.yaml")


def test_certify_reports_every_rule(example_run):
    code, rules, out = example_run
    assert list(rules) == [WALK, STOP, ENDED, PHRASES, PLACEHOLDERS, WELL_FORMED, LISTING,
                           PERMISSIONS, DISCLAIMER], out
    assert code == 1  # the example's policy addresses are for the publisher to fill in
    assert re.search(r"^\d of 9 rules pass$", out, re.M)


def test_every_open_response_asks_a_question(example_run):
    _, rules, out = example_run
    assert rules[WALK][0] == "PASS", "\n".join(rules[WALK])


@pytest.mark.parametrize("rule", [STOP, ENDED, PHRASES, WELL_FORMED, LISTING, PERMISSIONS,
                                  DISCLAIMER])
def test_the_example_passes(example_run, rule):
    _, rules, out = example_run
    assert rules[rule] == ["PASS"], "\n".join(rules.get(rule, [out]))


def test_the_examples_placeholders_are_the_two_policy_addresses(example_run):
    _, rules, _ = example_run
    verdict, *problems = rules[PLACEHOLDERS]
    assert verdict == "FAIL"
    assert [p.split(":")[0] for p in problems] == ["privacy_url", "terms_url"]


def copy_project(tmp_path: Path, publish_changes: dict | None = None) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "interaction_model", root / "interaction_model")
    shutil.copytree(REPO / "assets", root / "assets")
    values = yaml.safe_load((REPO / "publish.example.yaml").read_text())
    values["privacy_url"] = "https://coach.physio-pages.net/privacy"
    values["terms_url"] = "https://coach.physio-pages.net/terms"
    values.update(publish_changes or {})
    (root / "publish.yaml").write_text(yaml.safe_dump(values, sort_keys=False))
    return root


def edit_template(root: Path, change) -> None:
    path = root / "interaction_model/skill.json"
    document = json.loads(path.read_text())
    change(document["manifest"])
    path.write_text(json.dumps(document, indent=2))


def test_filled_in_values_pass_every_manifest_rule(tmp_path):
    root = copy_project(tmp_path)
    _, rules, out = run_certify(root, "publish.yaml")
    for rule in (PHRASES, PLACEHOLDERS, WELL_FORMED, LISTING, PERMISSIONS, DISCLAIMER):
        assert rules[rule] == ["PASS"], out


def test_one_testing_text_for_both_modes_fails_the_listing_rule(tmp_path):
    example = yaml.safe_load((REPO / "publish.example.yaml").read_text())
    questions = example["testing_instructions"]["questions"]
    root = copy_project(tmp_path, {"testing_instructions": {"questions": questions,
                                                            "read-aloud": questions}})
    code, rules, _ = run_certify(root, "publish.yaml")
    assert code == 1
    assert rules[LISTING] == [
        "FAIL", "read-aloud mode: the testing instructions promise yes or no questions about "
                "symptoms, which this mode never asks"]


def test_an_undeclared_reminders_permission_fails(tmp_path):
    root = copy_project(tmp_path)
    edit_template(root, lambda manifest: manifest.update(permissions=[]))
    code, rules, _ = run_certify(root, "publish.yaml")
    assert code == 1
    assert rules[PERMISSIONS] == [
        "FAIL", f"the skill asks for {SCOPE} but the manifest does not declare it"]


def test_a_declared_permission_the_skill_never_uses_fails(tmp_path):
    root = copy_project(tmp_path)
    extra = "alexa::profile:email:read"
    edit_template(root, lambda m: m["permissions"].append({"name": extra}))
    _, rules, _ = run_certify(root, "publish.yaml")
    assert rules[PERMISSIONS] == [
        "FAIL", f"the manifest declares {extra} but the skill never asks for it"]


def test_a_description_without_the_disclaimer_fails(tmp_path):
    root = copy_project(tmp_path)

    def drop_notice(manifest):
        manifest["publishingInformation"]["locales"]["en-GB"]["description"] = "A coach."

    edit_template(root, drop_notice)
    _, rules, _ = run_certify(root, "publish.yaml")
    assert rules[DISCLAIMER][0] == "FAIL"
    assert rules[DISCLAIMER][1:] == ["interaction_model/skill.json: en-GB has no medical notice "
                                     "to append"]


def test_phrases_that_are_not_samples_fail(tmp_path):
    values = yaml.safe_load((REPO / "publish.example.yaml").read_text())["locales"]
    values["en-IN"] = {**values["en-IN"], "example_phrases": [
        "Alexa, open thigh pain coach", "Alexa, ask thigh pain coach to play some music"]}
    root = copy_project(tmp_path, {"locales": values})
    _, rules, _ = run_certify(root, "publish.yaml")
    assert rules[PHRASES][0] == "FAIL"
    assert rules[PHRASES][1].startswith("locales.en-IN.example_phrases[1]: "
                                        "'Alexa, ask thigh pain coach to play some music'")


def test_a_placeholder_in_the_template_fails(tmp_path):
    root = copy_project(tmp_path)
    edit_template(root, lambda m: m["apis"]["custom"].update(
        endpoint={"uri": "arn:aws:lambda:us-east-1:123456789012:function:REPLACE-me"}))
    _, rules, _ = run_certify(root, "publish.yaml")
    assert rules[PLACEHOLDERS][0] == "FAIL"
    assert "apis.custom.endpoint.uri: a placeholder is left" in rules[PLACEHOLDERS][1]


# --- the conversation rules fail when the skill breaks them ------------------------------------

def answer(ssml: str, reprompt: str | None, end: bool) -> dict:
    body: dict = {"outputSpeech": {"type": "SSML", "ssml": f"<speak>{ssml}</speak>"},
                  "shouldEndSession": end}
    if reprompt is not None:
        body["reprompt"] = {"outputSpeech": {"type": "SSML",
                                             "ssml": f"<speak>{reprompt}</speak>"}}
    return {"version": "1.0", "response": body}


def a_skill(on_next: dict):
    """Asks a question everywhere except after AMAZON.NextIntent."""

    def handler(event: dict, context) -> dict:
        request = event["request"]
        if request["type"] == "SessionEndedRequest":
            return {"version": "1.0", "response": {}}
        name = request.get("intent", {}).get("name")
        if name in ("AMAZON.StopIntent", "AMAZON.CancelIntent"):
            return answer("Goodbye.", None, True)
        if name == "AMAZON.NextIntent":
            return on_next
        return answer("Shall we go on?", "Ready?", False)

    return handler


def test_the_walk_names_each_response_that_asks_nothing():
    handler = a_skill(answer("Hold it there. <break time=\"5s\"/> And release.", "Next?", False))
    rule = certify.walk_rule(handler, models(REPO), 200, 3, {"permissions": set(),
                                                            "interfaces": set()})
    assert not rule.passed
    assert len(rule.problems) == 1
    assert rule.problems[0].startswith("speech ends 'Hold it there. [pause 5 s] And release.':")
    assert "after AMAZON.NextIntent" in rule.problems[0]


def test_a_question_before_a_last_pause_still_asks():
    handler = a_skill(answer("Ready to go on? <break time=\"2s\"/>", "Ready?", False))
    rule = certify.walk_rule(handler, models(REPO), 200, 3, {"permissions": set(),
                                                            "interfaces": set()})
    assert rule.passed, rule.problems


def test_a_missing_reprompt_and_a_crash_are_failures():
    def handler(event: dict, context) -> dict:
        if event["request"].get("intent", {}).get("name") == "AMAZON.HelpIntent":
            raise RuntimeError("broken")
        return a_skill(answer("Next?", None, False))(event, context)

    rule = certify.walk_rule(handler, models(REPO), 200, 3, {"permissions": set(),
                                                            "interfaces": set()})
    problems = "\n".join(rule.problems)
    assert "reprompt ends '(nothing)'" in problems
    assert "the handler raised RuntimeError" in problems


def test_stop_that_keeps_listening_and_a_spoken_session_end_fail():
    def handler(event: dict, context) -> dict:
        request = event["request"]
        if request["type"] == "SessionEndedRequest":
            return answer("Bye!", None, True)
        if request.get("intent", {}).get("name") == "AMAZON.CancelIntent":
            return answer("Anything else?", "Anything else?", False)
        return a_skill(answer("Next?", "Next?", False))(event, context)

    all_models = {"en-US": models(REPO)["en-US"]}
    stop = certify.stop_rule(handler, all_models)
    assert [p for p in stop.problems if "StopIntent" in p] == []
    assert "en-US: AMAZON.CancelIntent in a routine left the session open" in stop.problems
    ended = certify.session_end_rule(handler, all_models)
    assert "en-US: USER_INITIATED after the welcome answered with outputSpeech" in ended.problems
