"""Reminders at the Alexa boundary: the device's time zone from the Settings API, the reminder
sent with it, its first date on the device's clock. The HTTP calls are stubbed where the SDK
makes them (its ApiClient's `invoke`), so everything above that is the real skill."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import pytest
from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_model.services.api_client_request import ApiClientRequest
from ask_sdk_model.services.api_client_response import ApiClientResponse

from helpers import Device, Heard
from thigh_coach.alexa import reminders
from thigh_coach.content import get_content
from thigh_coach.voice import Voice

SETTINGS = "/settings/System.timeZone"
REMINDERS = "/v1/alerts/reminders"
SCOPE = "alexa::alerts:reminders:skill:readwrite"


@dataclass
class AlexaApi:
    """Canned answers for the Settings and Reminders APIs; every request is kept."""

    zone: str = "America/Los_Angeles"
    settings_status: int = 200
    reminders_status: int = 200
    requests: list[ApiClientRequest] = field(default_factory=list)

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        self.requests.append(request)
        if request.method == "GET" and request.url.endswith(SETTINGS):
            body = json.dumps(self.zone) if self.settings_status == 200 else json.dumps(
                {"type": "FORBIDDEN", "message": "no"})
            return ApiClientResponse(headers=[], body=body, status_code=self.settings_status)
        if request.method == "POST" and request.url.endswith(REMINDERS):
            body = json.dumps({"alertToken": "token-1", "status": "ON", "version": "1",
                               "createdTime": "2026-03-10T03:30:00.000Z"}) \
                if self.reminders_status == 200 else json.dumps(
                    {"code": "UNAUTHORIZED", "message": "no"})
            return ApiClientResponse(headers=[], body=body, status_code=self.reminders_status)
        return ApiClientResponse(headers=[], body="{}", status_code=404)

    def created(self) -> list[dict]:
        # what the SDK's client would put on the wire: the body as JSON text
        return [json.loads(json.dumps(r.body)) for r in self.requests
                if r.method == "POST" and r.url.endswith(REMINDERS)]

    def lookups(self) -> list[ApiClientRequest]:
        return [r for r in self.requests if r.url.endswith(SETTINGS)]


@pytest.fixture
def api(monkeypatch) -> AlexaApi:
    stub = AlexaApi()
    monkeypatch.setattr(DefaultApiClient, "invoke", lambda client, request: stub.invoke(request))
    return stub


def at(utc: str):
    instant = dt.datetime.fromisoformat(utc).replace(tzinfo=dt.UTC)
    return lambda: instant


def ask_for_reminder(device: Device, api: AlexaApi, hhmm: str = "19:00") -> Heard:
    """"Remind me to stretch every day at seven p.m."; the skill's questions (morning or
    evening, then "shall I set it?") each get a yes."""
    heard = device.intent("ReminderIntent", time=hhmm)
    for _ in range(2):
        if api.requests or not heard.listening:
            break
        heard = device.intent("AMAZON.YesIntent")
    return heard


def said(key: str, locale: str = "en-US") -> str:
    return Voice(get_content(), locale, "self").text(key)


def test_reminder_uses_the_devices_time_zone_and_its_date(app, api, monkeypatch):
    # 03:30 on 10 March in UTC is 20:30 on 9 March in Los Angeles: 7 p.m. has passed there,
    # so the first reminder is the next day on the device's clock: 10 March, not 11 March
    monkeypatch.setattr(reminders, "utc_now", at("2026-03-10T03:30:00"))
    device = Device(app.lambda_handler)
    device.session.consent_token = "consent-1"
    device.launch()
    heard = ask_for_reminder(device, api)

    lookup, = api.lookups()
    assert lookup.url == ("https://api.amazonalexa.com/v2/devices/"
                          f"{device.session.device_id}/settings/System.timeZone")
    assert ("Authorization", "Bearer local-token") in lookup.headers
    assert api.requests.index(lookup) < len(api.requests) - 1  # looked up before creating
    reminder, = api.created()
    trigger = reminder["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE"
    assert trigger["timeZoneId"] == "America/Los_Angeles"
    assert trigger["scheduledTime"] == "2026-03-10T19:00:00"
    assert trigger["recurrence"]["startDateTime"] == "2026-03-10T19:00:00"
    assert trigger["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=19;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]
    assert reminder["requestTime"] == "2026-03-09T20:30:00"  # the device's clock too
    assert reminder["alertInfo"]["spokenInfo"]["content"][0]["locale"] == "en-US"
    assert said("reminder_failed") not in heard.speech
    assert heard.card is None or heard.card.get("type") != "AskForPermissionsConsent"


def test_a_time_still_ahead_today_starts_today_in_that_zone(app, api, monkeypatch):
    # 08:00 UTC is 09:00 in London (summer time): 7 p.m. is still ahead there today
    api.zone = "Europe/London"
    monkeypatch.setattr(reminders, "utc_now", at("2026-06-01T08:00:00"))
    device = Device(app.lambda_handler, locale="en-GB")
    device.session.consent_token = "consent-1"
    device.launch()
    ask_for_reminder(device, api)
    reminder, = api.created()
    assert reminder["trigger"]["timeZoneId"] == "Europe/London"
    assert reminder["trigger"]["scheduledTime"] == "2026-06-01T19:00:00"
    assert reminder["alertInfo"]["spokenInfo"]["content"][0]["locale"] == "en-GB"


def test_the_date_follows_the_zone_across_midnight(app, api, monkeypatch):
    # 20:00 UTC on 9 March is 07:00 on 10 March in Sydney: a 7:30 a.m. reminder is today there
    api.zone = "Australia/Sydney"
    monkeypatch.setattr(reminders, "utc_now", at("2026-03-09T20:00:00"))
    device = Device(app.lambda_handler, locale="en-AU")
    device.session.consent_token = "consent-1"
    device.launch()
    ask_for_reminder(device, api, "07:30")
    reminder, = api.created()
    assert reminder["trigger"]["scheduledTime"] == "2026-03-10T07:30:00"
    assert "BYHOUR=7;BYMINUTE=30" in reminder["trigger"]["recurrence"]["recurrenceRules"][0]


def test_without_the_time_zone_no_reminder_is_created(app, api):
    api.settings_status = 500
    device = Device(app.lambda_handler)
    device.session.consent_token = "consent-1"
    device.launch()
    heard = ask_for_reminder(device, api)
    assert len(api.lookups()) == 1
    assert api.created() == []
    assert said("reminder_failed") in heard.speech


def test_an_unknown_time_zone_creates_no_reminder(app, api):
    api.zone = "Mars/Olympus_Mons"
    device = Device(app.lambda_handler)
    device.session.consent_token = "consent-1"
    device.launch()
    heard = ask_for_reminder(device, api)
    assert api.created() == []
    assert said("reminder_failed") in heard.speech


def test_no_permission_yet_sends_the_consent_card_and_calls_nothing(app, api):
    device = Device(app.lambda_handler)
    device.launch()
    heard = ask_for_reminder(device, api)
    assert api.requests == []
    assert heard.card["type"] == "AskForPermissionsConsent"
    assert heard.card["permissions"] == [SCOPE]


def test_permission_refused_by_the_reminders_api_sends_the_consent_card(app, api):
    api.reminders_status = 401
    device = Device(app.lambda_handler)
    device.session.consent_token = "revoked"
    device.launch()
    heard = ask_for_reminder(device, api)
    assert len(api.created()) == 1
    assert heard.card["type"] == "AskForPermissionsConsent"
    assert heard.card["permissions"] == [SCOPE]


def test_zone_names_resolve_without_the_systems_zone_files(monkeypatch):
    import zoneinfo

    def missing(name):
        raise zoneinfo.ZoneInfoNotFoundError(name)

    monkeypatch.setattr(zoneinfo, "ZoneInfo", missing)
    zone = reminders.time_zone("Asia/Kolkata")
    assert zone is not None
    instant = dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC)
    assert instant.astimezone(zone).strftime("%H:%M") == "05:30"
    assert reminders.time_zone("../etc/passwd") is None
    assert reminders.time_zone("Nowhere/Special") is None
