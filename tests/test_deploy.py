"""Deploying: the template's logging, and `make deploy` run with stand-in `sam`, `aws` and
`ask` executables that record how they were called."""

from __future__ import annotations

import importlib
import json
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from helpers import REPO, Device

pytestmark = pytest.mark.slow  # each test runs `thigh-coach deploy` against stand-in sam and ask commands


class _CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (!Ref, !Sub...) kept as {tag: value}."""


def _cfn_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict:
    if isinstance(node, yaml.ScalarNode):
        value: object = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node)
    else:
        value = loader.construct_mapping(node)  # type: ignore[arg-type]
    return {suffix: value}


_CfnLoader.add_multi_constructor("!", _cfn_tag)


def template() -> dict:
    return yaml.load((REPO / "template.yaml").read_text(), Loader=_CfnLoader)


# --- permissions and resources ----------------------------------------------------------------

def test_the_function_may_only_get_put_and_delete_items_of_its_table():
    [policy] = template()["Resources"]["SkillFunction"]["Properties"]["Policies"]
    [statement] = policy["Statement"]
    assert statement["Effect"] == "Allow"
    assert sorted(statement["Action"]) == ["dynamodb:DeleteItem", "dynamodb:GetItem",
                                           "dynamodb:PutItem"]
    assert statement["Resource"] == {"GetAtt": "ProfileTable.Arn"}


def test_what_the_stack_keeps_when_deleted_or_replaced_is_said():
    resources = template()["Resources"]
    for name, policy in (("ProfileTable", "Retain"), ("SkillLogGroup", "Delete")):
        assert resources[name]["DeletionPolicy"] == policy, name
        assert resources[name]["UpdateReplacePolicy"] == policy, name


# --- logs -----------------------------------------------------------------------------------

def test_the_function_logs_json_lines_at_a_level_that_never_dumps_bodies():
    tpl = template()
    function = tpl["Resources"]["SkillFunction"]["Properties"]
    logging_config = function["LoggingConfig"]
    assert logging_config["LogFormat"] == "JSON"
    assert logging_config["ApplicationLogLevel"] == {"Ref": "LogLevel"}
    assert logging_config["SystemLogLevel"] in ("INFO", "WARN")
    assert logging_config["LogGroup"] == {"Ref": "SkillLogGroup"}
    level = tpl["Parameters"]["LogLevel"]
    assert level["Default"] == "INFO"
    # at DEBUG the AWS SDK logs DynamoDB items and request bodies
    assert not {"DEBUG", "TRACE"} & set(level["AllowedValues"])
    # one place sets the level in Lambda: the LoggingConfig, not a variable beside it
    assert "LOG_LEVEL" not in function["Environment"]["Variables"]


class LambdaJsonLines(logging.Handler):
    """What Lambda's Python runtime does with LogFormat JSON: one JSON object a record, with
    timestamp, level, message and logger, plus every attribute the record was given beyond
    the standard ones (its JsonFormatter copies `extra` fields the same way)."""

    STANDARD = set(vars(logging.LogRecord("n", 0, "p", 0, "m", None, None))) | {"message"}

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = {"timestamp": record.created, "level": record.levelname,
                "message": record.getMessage(), "logger": record.name}
        line.update((k, v) for k, v in vars(record).items() if k not in self.STANDARD)
        self.lines.append(json.dumps(line, default=str))


@pytest.fixture
def lambda_json_logs(monkeypatch, tmp_path):
    """The skill loaded as in Lambda with LoggingConfig JSON at INFO: the runtime has set the
    root level and its JSON handler before importing the function."""
    root = logging.getLogger()
    handler, old_level = LambdaJsonLines(), root.level
    monkeypatch.setenv("AWS_LAMBDA_LOG_FORMAT", "JSON")
    monkeypatch.setenv("AWS_LAMBDA_LOG_LEVEL", "INFO")
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")  # a stray variable must not win over Lambda's
    monkeypatch.delenv("TABLE_NAME", raising=False)
    monkeypatch.delenv("SKILL_ID", raising=False)
    monkeypatch.setenv("STORE_PATH", str(tmp_path / "store.sqlite3"))
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    import thigh_coach.app

    try:
        yield importlib.reload(thigh_coach.app), handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_json_log_lines_carry_request_type_intent_and_error_only(lambda_json_logs):
    app, handler = lambda_json_logs
    assert logging.getLogger().level == logging.INFO  # Lambda's ApplicationLogLevel kept
    device = Device(app.lambda_handler)
    device.launch()
    device.say("check my symptoms")
    device.say("I felt a pop")
    device.say("my left thigh hurts")
    device.say("stop")
    app.lambda_handler({"request": "what I said about my bladder"}, None)

    records = [json.loads(line) for line in handler.lines]
    assert records, "nothing was logged"
    text = "\n".join(handler.lines).lower()
    for said in ("felt a pop", "left thigh", '"left"', "bladder"):
        assert said not in text, said
    assert any("LaunchRequest" in r["message"] for r in records)
    assert any("IntentRequest" in r["message"] for r in records)
    errors = [r for r in records if r["level"] == "ERROR"]
    assert errors and all(r.get("error") for r in errors)
    allowed = {"timestamp", "level", "message", "logger", "error"}
    assert all(set(r) <= allowed for r in records), [set(r) - allowed for r in records]


def test_locally_log_level_sets_the_level_and_a_bad_name_is_not_fatal(monkeypatch, tmp_path):
    root = logging.getLogger()
    old_level = root.level
    monkeypatch.delenv("AWS_LAMBDA_LOG_LEVEL", raising=False)
    monkeypatch.setenv("STORE_PATH", str(tmp_path / "store.sqlite3"))
    import thigh_coach.app

    try:
        monkeypatch.setenv("LOG_LEVEL", "warning")
        importlib.reload(thigh_coach.app)
        assert root.level == logging.WARNING
        monkeypatch.setenv("LOG_LEVEL", "chatty")
        importlib.reload(thigh_coach.app)
        assert root.level == logging.INFO
    finally:
        root.setLevel(old_level)


# --- make deploy, with stand-ins for sam, aws and ask -------------------------------------

STACK = "thigh-pain-coach"
REGION = "eu-west-1"
ARN = f"arn:aws:lambda:{REGION}:123456789012:function:{STACK}-SkillFunction-Q1w2E3r4"
NEW_SKILL = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
CONSOLE_SKILL = "amzn1.ask.skill.99999999-8888-7777-6666-555555555555"

# Each stand-in appends {"tool", "args", "cwd", ...} to $STANDIN_LOG and acts like the real
# tool as far as the deploy needs: sam's guided deploy saves samconfig.toml, aws answers
# describe-stacks with the stack's outputs, ask deploy creates the skill if the project has no
# skill id yet (writing .ask/ask-states.json, as the ASK CLI does) and updates it otherwise.
STANDINS = {
    "sam": '''
args = sys.argv[1:]
record()
if args[:1] == ["deploy"] and "--guided" in args:
    given = [a for a in args if a.startswith("SkillId=")]
    skill_id = given[0].split("=", 1)[1] if given else os.environ["STANDIN_TYPED_SKILL_ID"]
    Path("samconfig.toml").write_text(
        'version = 0.1\\n[default.deploy.parameters]\\n'
        f'stack_name = "{STACK}"\\nregion = "{REGION}"\\n'
        f'parameter_overrides = "SkillId=\\\\"{skill_id}\\\\" LogRetentionDays=\\\\"30\\\\""\\n')
elif args[:1] == ["deploy"]:
    assert Path("samconfig.toml").exists(), "sam deploy without --guided needs samconfig.toml"
''',
    "aws": '''
args = sys.argv[1:]
record()
assert args[:2] == ["cloudformation", "describe-stacks"], args
if args[args.index("--stack-name") + 1] != STACK:
    sys.exit("An error occurred (ValidationError): Stack does not exist")
print(json.dumps({"Stacks": [{"StackName": STACK, "Outputs": [
    {"OutputKey": "ProfileTableName", "OutputValue": "thigh-pain-coach-ProfileTable"},
    {"OutputKey": "SkillFunctionArn", "OutputValue": ARN}], "Parameters": [
    {"ParameterKey": "SymptomCheck",
     "ParameterValue": os.environ.get("STANDIN_MODE", "questions")}]}]}))
''',
    "ask": '''
args = sys.argv[1:]
assert args[:3] == ["deploy", "--target", "skill-metadata"], args
resources = json.loads(Path("ask-resources.json").read_text())
src = resources["profiles"]["default"]["skillMetadata"]["src"]
manifest = json.loads((Path(src) / "skill.json").read_text())["manifest"]
states_path = Path(".ask/ask-states.json")
states = json.loads(states_path.read_text()) if states_path.exists() else {"profiles": {}}
skill_id = states["profiles"].get("default", {}).get("skillId")
created = skill_id is None
if created:
    skill_id = NEW_SKILL
    states["profiles"].setdefault("default", {})["skillId"] = skill_id
    states_path.parent.mkdir(exist_ok=True)
    states_path.write_text(json.dumps(states))
record(skill_id=skill_id, created=created,
       endpoint=manifest["apis"]["custom"].get("endpoint", {}).get("uri"),
       personal=manifest["privacyAndCompliance"]["usesPersonalInfo"],
       testing=manifest["publishingInformation"].get("testingInstructions", ""))
''',
}
PRELUDE = '''
import json, os, sys
from pathlib import Path
STACK, REGION, ARN, NEW_SKILL = {constants}

def record(**more):
    with open(os.environ["STANDIN_LOG"], "a") as log:
        log.write(json.dumps({{"tool": Path(sys.argv[0]).name, "args": sys.argv[1:],
                              "cwd": os.getcwd(), **more}}) + "\\n")
'''


@dataclass
class Clone:
    root: Path
    log: Path
    env: dict[str, str]

    def calls(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def make(self, *args: str) -> subprocess.CompletedProcess:
        # STAMP names a file that exists: the venv is this one, never reinstalled by the test
        return subprocess.run(["make", "deploy", f"STAMP={self.root / '.stamp'}", *args],
                              cwd=self.root, env=self.env, capture_output=True, text=True,
                              timeout=300)


def fresh_clone(tmp_path: Path, tools: tuple[str, ...] = ("sam", "aws", "ask")) -> Clone:
    """The repository as a clone has it (tracked and new files, nothing ignored), this venv,
    and stand-ins first on PATH."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout
    root = tmp_path / "clone"
    for name in listed.splitlines():
        source = REPO / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    (root / ".venv").symlink_to(sys.prefix)
    (root / ".stamp").touch()
    bin_dir = tmp_path / "standins"
    bin_dir.mkdir()
    constants = repr((STACK, REGION, ARN, NEW_SKILL))
    for tool in tools:
        script = bin_dir / tool
        script.write_text(f"#!{sys.executable}\n" + PRELUDE.format(constants=constants)
                          + STANDINS[tool])
        script.chmod(0o755)
    log = tmp_path / "calls.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ASK_"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin", STANDIN_LOG=str(log),
               STANDIN_TYPED_SKILL_ID=CONSOLE_SKILL)
    return Clone(root, log, env)


def fill_in_publish(root: Path) -> None:
    """What a publisher does first: copy the example and give the two policy addresses."""
    text = (root / "publish.example.yaml").read_text()
    text = text.replace("REPLACE with the https address of docs/privacy.md",
                        "https://coach.physio-pages.net/privacy")
    text = text.replace("REPLACE with the https address of docs/terms.md",
                        "https://coach.physio-pages.net/terms")
    (root / "publish.yaml").write_text(text)


def steps(calls: list[dict]) -> list[str]:
    return [" ".join([c["tool"], *c["args"]]) for c in calls]


def assert_valid_package(root: Path, skill_id: str) -> None:
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_smapi_model.v1.skill.manifest.skill_manifest_envelope import (
        SkillManifestEnvelope,
    )

    out = root / "build/skill"
    text = (out / "skill-package/skill.json").read_text()
    manifest = DefaultSerializer().deserialize(text, SkillManifestEnvelope).manifest
    assert manifest.apis.custom.endpoint.uri == ARN
    for locale, info in manifest.publishing_information.locales.items():
        assert (out / f"skill-package/interactionModels/custom/{locale}.json").exists()
        for uri in (info.small_icon_uri, info.large_icon_uri):
            assert (out / "skill-package" / uri.removeprefix("file://")).is_file()
        policy = manifest.privacy_and_compliance.locales[locale]
        assert policy.privacy_policy_url == "https://coach.physio-pages.net/privacy"
    states = json.loads((out / ".ask/ask-states.json").read_text())
    assert states["profiles"]["default"]["skillId"] == skill_id


def test_first_deploy_creates_the_skill_then_the_stack_then_sets_the_endpoint(tmp_path):
    clone = fresh_clone(tmp_path)
    fill_in_publish(clone.root)
    result = clone.make()
    assert result.returncode == 0, result.stdout + result.stderr
    calls = clone.calls()
    assert steps(calls) == [
        "sam build",
        "ask deploy --target skill-metadata",   # the skill, created for its id
        f"sam deploy --guided --parameter-overrides SkillId={NEW_SKILL}",
        f"aws cloudformation describe-stacks --stack-name {STACK} --output json "
        f"--region {REGION}",
        "ask deploy --target skill-metadata",   # the same skill, now with the endpoint
    ]
    create, update = calls[1], calls[4]
    assert create["created"] and create["endpoint"] is None
    assert not update["created"] and update["skill_id"] == NEW_SKILL
    assert update["endpoint"] == ARN
    assert {c["cwd"] for c in calls if c["tool"] != "ask"} == {str(clone.root)}
    assert {c["cwd"] for c in calls if c["tool"] == "ask"} == {str(clone.root / "build/skill")}
    assert_valid_package(clone.root, NEW_SKILL)


def test_later_deploys_use_samconfig_and_update_the_same_skill(tmp_path):
    clone = fresh_clone(tmp_path)
    fill_in_publish(clone.root)
    assert clone.make().returncode == 0
    clone.log.unlink()
    shutil.rmtree(clone.root / "build")  # even after `make clean`-like loss of build/
    result = clone.make()
    assert result.returncode == 0, result.stdout + result.stderr
    calls = clone.calls()
    assert steps(calls) == [
        "sam build",
        "sam deploy",
        f"aws cloudformation describe-stacks --stack-name {STACK} --output json "
        f"--region {REGION}",
        "ask deploy --target skill-metadata",
    ]
    assert calls[3]["skill_id"] == NEW_SKILL and not calls[3]["created"]
    assert_valid_package(clone.root, NEW_SKILL)


def test_the_package_follows_the_stacks_publish_mode(tmp_path):
    """The stack's SymptomCheck chooses the store texts and usesPersonalInfo."""
    clone = fresh_clone(tmp_path)
    fill_in_publish(clone.root)
    clone.env["STANDIN_MODE"] = "read-aloud"
    result = clone.make()
    assert result.returncode == 0, result.stdout + result.stderr
    update = clone.calls()[-1]
    assert update["personal"] is False
    assert "this version asks nothing about the user's health" in update["testing"]
    assert "(read-aloud mode)" in result.stdout
    clone.log.unlink()
    clone.env["STANDIN_MODE"] = "questions"
    assert clone.make().returncode == 0
    update = clone.calls()[-1]
    assert update["personal"] is True and 'answer "yes", "no" or "not sure"' in update["testing"]


def test_without_the_ask_cli_sam_asks_for_the_skill_id_and_the_package_is_left_to_upload(
        tmp_path):
    clone = fresh_clone(tmp_path, tools=("sam", "aws"))
    fill_in_publish(clone.root)
    result = clone.make()
    assert result.returncode == 0, result.stdout + result.stderr
    assert steps(clone.calls()) == [
        "sam build",
        "sam deploy --guided",  # the publisher types the id of the skill made in the console
        f"aws cloudformation describe-stacks --stack-name {STACK} --output json "
        f"--region {REGION}",
    ]
    assert "The ASK CLI is not installed" in result.stdout
    assert_valid_package(clone.root, CONSOLE_SKILL)


def test_deploy_refuses_placeholders_before_building_anything(tmp_path):
    clone = fresh_clone(tmp_path)
    shutil.copy(clone.root / "publish.example.yaml", clone.root / "publish.yaml")
    result = clone.make()
    assert result.returncode != 0
    assert "privacy_url: a placeholder is left" in result.stderr
    assert clone.calls() == []
    assert not (clone.root / "build").exists()


def test_deploy_refuses_a_region_alexa_cannot_invoke_before_building_anything(tmp_path):
    clone = fresh_clone(tmp_path)
    fill_in_publish(clone.root)
    (clone.root / "samconfig.toml").write_text(
        'version = 0.1\n[default.deploy.parameters]\n'
        f'stack_name = "{STACK}"\nregion = "eu-central-1"\n'
        'parameter_overrides = "SkillId=\\"amzn1.ask.skill.1\\""\n')
    result = clone.make()
    assert result.returncode != 0
    assert "region 'eu-central-1' is not one Alexa can invoke" in result.stderr
    assert "eu-west-1" in result.stderr
    assert clone.calls() == []


def test_deploy_without_publish_yaml_says_what_to_do(tmp_path):
    clone = fresh_clone(tmp_path)
    result = clone.make()
    assert result.returncode != 0
    assert "copy publish.example.yaml to publish.yaml" in result.stderr
    assert clone.calls() == []
