"""Deploying: the template's logging, and `make deploy` run with stand-in `sam`, `aws` and
`ask` executables that record how they were called."""

from __future__ import annotations

import importlib
import json
import logging

import pytest
import yaml

from helpers import REPO, Device


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
