"""Profiles in DynamoDB (moto) and SQLite: one read a session, writes only on change, faults."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber

from conftest import TABLE, stored_items
from helpers import Device, to_first_hold
from thigh_coach.storage import SqliteStore, StorageError, WriteConflict


class Calls:
    """Counts DynamoDB operations as botocore sends them."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def attach(self, client) -> None:
        client.meta.events.register("before-call.dynamodb.*", self._count)

    def _count(self, model, **_):
        self.counts[model.name] = self.counts.get(model.name, 0) + 1


@pytest.fixture
def calls(dynamo_app):
    counter = Calls()
    counter.attach(store_of(dynamo_app).client)
    return counter


def store_of(app):
    return app.skill.persistence_adapter


def test_a_session_reads_once_and_writes_only_when_something_changed(dynamo_app, calls):
    device = Device(dynamo_app.lambda_handler)
    device.launch()
    device.say("help")
    device.say("what can I say")
    device.say("repeat")
    device.say("stop")
    assert calls.counts.get("GetItem") == 1
    assert calls.counts.get("PutItem") == 1  # the first visit is remembered, once


def test_what_is_stored_is_only_preferences_and_progress(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    device.launch()
    device.say("I'm asking for my husband")
    device.say("stop")
    items = stored_items()
    assert len(items) == 1
    profile = json.loads(items[0]["profile"]["S"])
    assert set(profile) <= {"last_visit", "locale", "updated", "routine", "place", "hold_s",
                            "side", "reminder"}
    assert "husband" not in json.dumps(items)
    assert int(items[0]["expires_at"]["N"]) > 0


def test_a_second_session_remembers_the_visit(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    device.launch()
    device.say("stop")
    assert "Welcome back" in device.launch()


def test_a_missing_table_still_answers_and_says_progress_may_not_be_saved(aws, monkeypatch):
    import importlib

    import thigh_coach.app

    monkeypatch.setenv("TABLE_NAME", "no-such-table")
    app = importlib.reload(thigh_coach.app)
    device = Device(app.lambda_handler)
    heard = device.launch()
    assert "progress may not be saved" in heard
    assert "Welcome to Thigh Pain Coach" in heard and heard.listening
    later = device.say("help")
    assert "progress may not be saved" not in later  # told once, not every turn
    assert "yes or no questions" in later


def test_throttling_still_answers_and_the_profile_is_kept_for_the_next_write(dynamo_app):
    store = store_of(dynamo_app)
    device = Device(dynamo_app.lambda_handler)
    with Stubber(store.client) as stub:
        stub.add_client_error("get_item", "ProvisionedThroughputExceededException")
        heard = device.launch()
        stub.add_client_error("get_item", "ThrottlingException")
        later = device.say("help")
    assert "progress may not be saved" in heard and heard.listening
    assert "yes or no questions" in later
    assert device.session.attributes["c"]["k"]["p"]["last_visit"]  # kept in the session
    device.say("stop")  # the store is back: the visit is saved now
    items = stored_items()
    assert len(items) == 1 and "last_visit" in items[0]["profile"]["S"]


def test_sqlite_store_round_trip_and_version_conflict(tmp_path):
    store = SqliteStore(tmp_path / "s.sqlite3")
    envelope = Device(None).session.envelope({"type": "LaunchRequest"})
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    request = DefaultSerializer().deserialize(json.dumps(envelope), RequestEnvelope)
    assert store.get_attributes(request) == {}
    first = {"routine": "hamstring"}
    store.save_attributes(request, first)
    assert first["_version"] == 1
    assert store.get_attributes(request) == {"routine": "hamstring", "_version": 1}
    stale = {"routine": "sciatica", "_version": 0}
    with pytest.raises(WriteConflict):
        store.save_attributes(request, stale)
    store.delete_attributes(request)
    assert store.get_attributes(request) == {}


def test_sqlite_store_replaces_a_damaged_row_only_if_it_is_still_the_one_read(tmp_path):
    store = SqliteStore(tmp_path / "s.sqlite3")
    envelope = Device(None).session.envelope({"type": "LaunchRequest"})
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    request = DefaultSerializer().deserialize(json.dumps(envelope), RequestEnvelope)
    user = envelope["context"]["System"]["user"]["userId"]
    store.db.execute("INSERT INTO profiles VALUES (?, '{}', -7, 9999999999)", (user,))
    store.db.commit()
    assert store.get_attributes(request) == {"_version": -1}  # damaged: read as nothing
    store.db.execute("UPDATE profiles SET profile = '{\"hold_s\": 20}', version = 1")
    store.db.commit()  # another device saved meanwhile
    with pytest.raises(WriteConflict):
        store.save_attributes(request, {"routine": "gentle", "_version": -1})
    assert store.get_attributes(request) == {"hold_s": 20, "_version": 1}
    store.db.execute("UPDATE profiles SET version = -7")
    store.db.commit()
    store.get_attributes(request)
    mine = {"routine": "gentle", "_version": -1}
    store.save_attributes(request, mine)  # still the damaged row read: replaced
    assert mine["_version"] == 1
    assert store.get_attributes(request)["routine"] == "gentle"


def test_sqlite_store_unreachable_file_is_a_storage_error(tmp_path):
    (tmp_path / "blocker").write_text("a file where a folder should be")
    store = SqliteStore(tmp_path / "blocker" / "s.sqlite3")
    envelope = Device(None).session.envelope({"type": "LaunchRequest"})
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    request = DefaultSerializer().deserialize(json.dumps(envelope), RequestEnvelope)
    with pytest.raises(StorageError):
        store.get_attributes(request)


def test_dynamo_item_past_its_expiry_is_not_used(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    device.launch()
    device.say("stop")
    client = boto3.client("dynamodb")
    client.update_item(TableName=TABLE, Key={"id": {"S": device.session.user_id}},
                       UpdateExpression="SET expires_at = :past",
                       ExpressionAttributeValues={":past": {"N": "1000"}})
    assert "Welcome to Thigh Pain Coach" in device.launch()  # a first visit again


def test_routine_steps_are_written_when_the_session_ends_not_every_turn(dynamo_app, calls):
    device = Device(dynamo_app.lambda_handler)
    device.launch()
    to_first_hold(device, device.say("start the hamstring stretches"))  # a choice: written at once
    writes_after_start = calls.counts.get("PutItem", 0)
    for _ in range(5):
        device.say("next")
    assert calls.counts.get("PutItem", 0) == writes_after_start
    device.end("EXCEEDED_MAX_REPROMPTS")  # Alexa closes the session: the place is written
    assert calls.counts.get("PutItem", 0) == writes_after_start + 1
    # the seated stretch (exercise 1), its left side (1), at its setup: no repetition done
    assert json.loads(stored_items()[0]["profile"]["S"])["place"] == [1, 1, 0]
