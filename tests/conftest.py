from __future__ import annotations

import importlib
import sys
from pathlib import Path

import boto3
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from helpers import Device  # noqa: E402

TABLE = "thigh-coach-test"


def _fresh_app():
    import thigh_coach.app

    return importlib.reload(thigh_coach.app)


@pytest.fixture
def app(monkeypatch, tmp_path):
    """The real skill on an embedded store in a temporary directory."""
    monkeypatch.delenv("TABLE_NAME", raising=False)
    monkeypatch.delenv("SKILL_ID", raising=False)
    monkeypatch.setenv("STORE_PATH", str(tmp_path / "store.sqlite3"))
    return _fresh_app()


@pytest.fixture
def device(app):
    return Device(app.lambda_handler)


@pytest.fixture
def new_device(app):
    def make(**kw):
        return Device(app.lambda_handler, **kw)
    return make


@pytest.fixture
def aws(monkeypatch):
    from moto import mock_aws

    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "eu-west-1"}.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        yield


def create_table(name: str = TABLE) -> None:
    client = boto3.client("dynamodb")
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    client.update_time_to_live(TableName=name, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": "expires_at"})


@pytest.fixture
def dynamo_app(aws, monkeypatch):
    """The real skill on (moto's) DynamoDB, as it runs in AWS."""
    create_table()
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.delenv("SKILL_ID", raising=False)
    return _fresh_app()


def stored_items(name: str = TABLE) -> list[dict]:
    return boto3.client("dynamodb").scan(TableName=name)["Items"]
