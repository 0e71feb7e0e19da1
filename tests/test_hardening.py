"""Requests and stored data no Alexa device sends, and the skill still answers: never a
crash, never a lost or overwritten item."""

from __future__ import annotations

import copy
import json
import sqlite3
import time

import boto3

from conftest import TABLE, stored_items
from helpers import Device


def nested(depth: int) -> dict:
    out: dict = {}
    cur = out
    for _ in range(depth):
        cur["x"] = {}
        cur = cur["x"]
    return out


def test_an_event_without_context_gets_a_clear_answer(app):
    device = Device(app.lambda_handler)
    event = copy.deepcopy(device.session.launch())
    del event["context"]
    response = app.lambda_handler(event, None)
    assert "couldn&apos;t understand that request" in response["response"]["outputSpeech"]["ssml"]


def test_session_attributes_nested_deep_are_dropped_and_the_turn_answered(app):
    device = Device(app.lambda_handler)
    device.launch()
    event = device.session.intent("AMAZON.HelpIntent", {})
    event["session"]["attributes"] = {"c": nested(500), "foreign": nested(900)}
    response = app.lambda_handler(json.loads(json.dumps(event)), None)
    speech = response["response"]["outputSpeech"]["ssml"]
    assert "yes or no questions" in speech  # the help, as in any fresh session
    assert "foreign" not in response.get("sessionAttributes", {})


def put_version(version: str, user: str) -> None:
    boto3.client("dynamodb").put_item(TableName=TABLE, Item={
        "id": {"S": user}, "profile": {"S": json.dumps({"hold_s": 40})},
        "version": {"N": version}, "expires_at": {"N": str(int(time.time()) + 86400)}})


def test_a_stored_version_too_large_is_replaced_not_fatal(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    put_version(str(2**63 - 1), device.session.user_id)
    device.launch()
    heard = device.say("make the holds longer")
    assert "progress may not be saved" not in heard and "something went wrong" not in heard.speech
    device.say("stop")
    [item] = stored_items()
    assert 0 < int(item["version"]["N"]) < 2**53


def test_sqlite_a_stored_version_too_large_is_replaced(app, tmp_path):
    device = Device(app.lambda_handler)
    device.launch()
    device.say("make the holds longer")
    device.say("stop")
    path = app.skill.persistence_adapter.path
    with sqlite3.connect(path) as db:
        db.execute("UPDATE profiles SET version = ?", (2**63 - 1,))
    device.launch()
    heard = device.say("make the holds shorter")
    assert "progress may not be saved" not in heard and "something went wrong" not in heard.speech
    device.say("stop")
    with sqlite3.connect(path) as db:
        [(version,)] = db.execute("SELECT version FROM profiles").fetchall()
    assert version == 1
