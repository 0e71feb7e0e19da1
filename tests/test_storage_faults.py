"""Storage faults on DynamoDB (moto, and botocore's Stubber for what moto can't do)."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber

import thigh_coach.alexa.memory
from conftest import TABLE, stored_items
from helpers import IN_POSITION, Device, past_screen, to_first_hold


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves, so 'which change is newer' never depends on real time."""
    now = [1_800_000_000.0]

    class Clock:
        def tick(self, seconds: float = 60) -> None:
            now[0] += seconds

    monkeypatch.setattr(thigh_coach.alexa.memory.time, "time", lambda: now[0])
    return Clock()


def client(app):
    return app.skill.persistence_adapter.client


def stored_place(place) -> list[int]:
    """How a place in a routine is stored: the exercise, the side, the repetitions done."""
    from thigh_coach.content import get_content
    from thigh_coach.dialog import Dialog
    from thigh_coach.profile import Profile
    from thigh_coach.state import Conversation

    dialog = Dialog(get_content(), "en-US", Conversation(), Profile())
    dialog.coach._set_position(get_content().routines[place.routine], place.exercise, place.step)
    return dialog.turn.profile.place


def profile_in_store() -> dict:
    [item] = stored_items()
    return json.loads(item["profile"]["S"])


def test_service_unavailable_on_read(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    with Stubber(client(dynamo_app)) as stub:
        stub.add_client_error("get_item", "ServiceUnavailable", http_status_code=503)
        heard = device.launch()
    assert "progress may not be saved" in heard and "Welcome" in heard and heard.listening


def test_a_failed_write_is_kept_in_the_session_and_saved_on_the_next_success(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    device.launch()
    device.say("stop")
    device.launch()
    with Stubber(client(dynamo_app)) as stub:
        stub.add_client_error("put_item", "InternalServerError", http_status_code=500)
        heard = past_screen(device, device.say("start the piriformis routine"))
    assert "progress may not be saved" in heard and heard.speech.endswith(IN_POSITION)
    assert profile_in_store().get("routine") is None  # not saved yet
    assert device.session.attributes["c"]["k"]["p"]["routine"] == "piriformis"  # but kept
    device.say("next")  # the store is back
    assert profile_in_store()["routine"] == "piriformis"


def test_two_devices_of_one_user_both_keep_their_changes(dynamo_app, clock):
    kitchen = Device(dynamo_app.lambda_handler)
    bedroom = Device(dynamo_app.lambda_handler, user_id=kitchen.session.user_id)
    kitchen.launch()
    kitchen.say("stop")
    clock.tick()
    kitchen.launch()
    bedroom.launch()  # both sessions read the same version
    clock.tick()
    to_first_hold(kitchen, kitchen.say("start the piriformis routine"))  # writes first
    clock.tick()
    heard = bedroom.say("make the holds longer")  # conflicts, merges, writes
    assert "progress may not be saved" not in heard
    stored = profile_in_store()
    assert stored["routine"] == "piriformis" and stored["place"] == [0, 1, 0]  # left, none done
    assert stored["hold_s"] == 40
    clock.tick()
    kitchen.say("skip this one")
    assert profile_in_store()["place"] == [0, 1, 0]  # a place waits for the session's end...
    kitchen.say("stop")  # ...and the kitchen's session is now behind: merges again
    stored = profile_in_store()
    assert stored["place"] == [1, 1, 0] and stored["hold_s"] == 40


def test_older_data_never_overwrites_newer(dynamo_app, clock):
    phone = Device(dynamo_app.lambda_handler)
    speaker = Device(dynamo_app.lambda_handler, user_id=phone.session.user_id)
    phone.launch()
    phone.say("stop")
    clock.tick()
    phone.launch()
    speaker.launch()
    clock.tick()
    with Stubber(client(dynamo_app)) as stub:  # the phone's change can't be saved now...
        stub.add_client_error("put_item", "ThrottlingException", http_status_code=400)
        phone.say("hold for fifty seconds")
    clock.tick()
    speaker.say("hold for twenty seconds")  # ...the speaker's later change is saved
    assert profile_in_store()["hold_s"] == 20
    clock.tick()
    phone.say("help")  # the phone retries with its older change: the newer one stays
    assert profile_in_store()["hold_s"] == 20
    assert phone.session.attributes["c"]["k"]["p"]["hold_s"] == 20


@pytest.mark.parametrize("item", [
    {"profile": {"S": "{{{ not json"}, "version": {"N": "3"}, "expires_at": {"N": "9999999999"}},
    {"profile": {"S": '{"place": "banana", "hold_s": 900, "side": 7}'}, "version": {"N": "2"},
     "expires_at": {"N": "9999999999"}},
    {"profile": {"N": "5"}, "version": {"S": "x"}},
    {"something": {"S": "else"}},
])
def test_a_corrupted_stored_item_is_survived_and_replaced(dynamo_app, item):
    device = Device(dynamo_app.lambda_handler)
    boto3.client("dynamodb").put_item(
        TableName=TABLE, Item={"id": {"S": device.session.user_id}, **item})
    heard = device.launch()
    assert "Welcome to Thigh Pain Coach" in heard and heard.listening
    assert "progress may not be saved" not in heard
    to_first_hold(device, device.say("start the gentle routine"))
    stored = profile_in_store()
    assert stored["routine"] == "gentle" and "hold_s" not in stored and "side" not in stored


def test_nothing_is_lost_when_the_first_read_fails_and_a_later_one_works(dynamo_app, clock):
    device = Device(dynamo_app.lambda_handler)
    device.launch()
    device.say("make the holds longer")
    device.say("stop")  # saved: hold 40
    clock.tick()
    with Stubber(client(dynamo_app)) as stub:
        stub.add_client_error("get_item", "ThrottlingException", http_status_code=400)
        device.launch()  # read failed: the session starts from defaults
    clock.tick()
    device.say("left side first")  # read retried, merged, saved
    stored = profile_in_store()
    assert stored["hold_s"] == 40 and stored["side"] == "left"


def test_a_failed_read_is_not_tried_again_in_the_same_turn(dynamo_app):
    """A store that hangs costs one wait a turn, not two: the user hears the reply in time.
    A one-shot request reads (fails) and would write; the read is not repeated before it."""
    device = Device(dynamo_app.lambda_handler)
    with Stubber(client(dynamo_app)) as stub:
        for _ in range(2):
            stub.add_client_error("get_item", "RequestTimeout", http_status_code=408)
        heard = device.say("ask thigh pain coach to make the holds longer")
        with pytest.raises(AssertionError):  # the second queued failure was never asked for
            stub.assert_no_pending_responses()
    assert "progress may not be saved" in heard
    assert device.session.attributes["c"]["k"]["p"]["hold_s"] == 40  # kept for the next turn
    device.say("next")  # the store is back: read, merged, written
    assert profile_in_store()["hold_s"] == 40


def test_each_store_call_is_one_short_attempt(dynamo_app):
    """Lambda's timeout is 6 s and Alexa waits about 8: a read and a write that both hang
    must fit in a turn, so botocore makes one attempt, bounded in time (no test waits)."""
    from thigh_coach.storage import CONNECT_TIMEOUT, READ_TIMEOUT

    config = client(dynamo_app).meta.config
    assert config.retries["total_max_attempts"] == 1
    assert config.connect_timeout == CONNECT_TIMEOUT and config.read_timeout == READ_TIMEOUT
    assert 2 * (CONNECT_TIMEOUT + READ_TIMEOUT) <= 5


def test_calls_to_alexa_services_have_a_timeout(monkeypatch):
    """The reminders and time-zone services: the SDK's client waits forever by default."""
    import requests
    from ask_sdk_model.services.api_client_request import ApiClientRequest

    from thigh_coach.alexa.reminders import HTTP_TIMEOUT, LazyApiClient

    seen = {}

    def fake_get(url, **kwargs):
        seen.update(kwargs)
        raise requests.exceptions.ConnectTimeout("no answer")

    monkeypatch.setattr(requests, "get", fake_get)
    request = ApiClientRequest(url="https://api.amazonalexa.com/v2/devices/d/settings/System.timeZone",
                               method="GET", headers=[("Authorization", "Bearer x")])
    with pytest.raises(Exception, match="no answer"):
        LazyApiClient().invoke(request)
    assert seen["timeout"] == HTTP_TIMEOUT


def test_stopping_never_claims_a_place_saved_when_the_write_failed(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    device.launch()
    to_first_hold(device, device.say("start the hamstring stretches"))
    device.intent("AMAZON.NextIntent")  # a new place, kept in the session until the end
    with Stubber(client(dynamo_app)) as stub:
        stub.add_client_error("put_item", "InternalServerError", http_status_code=500)
        heard = device.say("stop")
    assert "I've saved your place" not in heard
    assert "couldn't save your place" in heard and "standing hamstring stretch" in heard


def test_stopping_says_the_place_is_saved_when_it_is(dynamo_app):
    device = Device(dynamo_app.lambda_handler)
    device.launch()
    to_first_hold(device, device.say("start the hamstring stretches"))
    device.intent("AMAZON.NextIntent")
    heard = device.say("stop")
    assert "I've saved your place" in heard and profile_in_store()["place"] == [0, 1, 1]


def test_a_routine_and_its_place_are_kept_together_when_two_devices_merge(dynamo_app, clock):
    """One device carries on the hamstring stretches while the other starts the
    strengthening routine: the store holds one routine with its own place, never the
    strengthening routine at the hamstring routine's place."""
    kitchen = Device(dynamo_app.lambda_handler)
    bedroom = Device(dynamo_app.lambda_handler, user_id=kitchen.session.user_id)
    kitchen.launch()
    to_first_hold(kitchen, kitchen.say("start the hamstring stretches"))
    kitchen.say("stop")
    clock.tick()
    kitchen.launch()
    to_first_hold(kitchen, kitchen.say("start my routine"))
    bedroom.launch()
    clock.tick()
    to_first_hold(bedroom, bedroom.say("start the strengthening routine"))  # written: routine, place
    assert profile_in_store()["routine"] == "strengthening"
    clock.tick()
    for _ in range(3):  # the newer change: the kitchen carries on, kept until the end
        place = kitchen.intent("AMAZON.NextIntent").state.place
    kitchen.say("stop")  # merges: the hamstring routine, at its own place
    stored = profile_in_store()
    assert stored["routine"] == "hamstring" and stored["place"] == stored_place(place)


def test_a_damaged_item_replaced_by_another_device_meanwhile_is_a_conflict(dynamo_app, clock):
    """A damaged item is replaced only if it is still the one read: another device's save in
    between is a conflict, merged like any other, so neither change is lost."""
    device = Device(dynamo_app.lambda_handler)
    dynamo = boto3.client("dynamodb")
    dynamo.put_item(TableName=TABLE, Item={
        "id": {"S": device.session.user_id}, "profile": {"S": "{}"}, "version": {"N": "-7"},
        "expires_at": {"N": "9999999999"}})
    device.launch()  # reads the damaged item
    clock.tick()
    dynamo.put_item(TableName=TABLE, Item={  # the phone saves first, replacing it
        "id": {"S": device.session.user_id}, "profile": {"S": json.dumps({"hold_s": 20})},
        "version": {"N": "1"}, "expires_at": {"N": "9999999999"}})
    clock.tick()
    device.say("left side first")
    device.say("stop")
    stored = profile_in_store()
    assert stored["hold_s"] == 20 and stored["side"] == "left"
