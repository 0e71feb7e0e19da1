"""A daily stretch reminder through the Alexa Reminders API, in the device's own time zone.

The device's time zone comes from the Alexa Settings API (no extra permission needed). The
reminder is sent with that `timeZoneId` and its first time is the next HH:MM on the device's
clock: the Lambda runs on UTC, so "today" there can be a day off from the user's today.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from ask_sdk_model.services.api_client import ApiClient

log = logging.getLogger(__name__)


def utc_now() -> dt.datetime:
    """The current instant (a test moves it to check dates around midnight)."""
    return dt.datetime.now(dt.UTC)


class LazyApiClient(ApiClient):
    """The SDK's DefaultApiClient, created on first use: it imports `requests` (about 150 ms
    of every cold start) and only a reminder needs it."""

    def __init__(self) -> None:
        self._client: ApiClient | None = None

    def invoke(self, request):
        if self._client is None:
            self._client = _client_with_timeout()
        return self._client.invoke(request)


# connect and read, in seconds: the SDK's client sets none, and a hanging reminders or
# time-zone service must not take the turn past Alexa's 8 s (Lambda's timeout is 6 s)
HTTP_TIMEOUT = (1.0, 2.0)


def _client_with_timeout() -> ApiClient:
    import functools

    from ask_sdk_core.api_client import DefaultApiClient

    class TimedApiClient(DefaultApiClient):
        def _resolve_method(self, request):
            return functools.partial(super()._resolve_method(request), timeout=HTTP_TIMEOUT)

    return TimedApiClient()


def time_zone(name: object) -> dt.tzinfo | None:
    """The zone for an IANA name, or None. The system's zone files first; python-dateutil
    (bundled for the SDK) carries its own copy for a runtime image without tzdata."""
    if not isinstance(name, str) or not name or name.startswith("/") or ".." in name:
        return None
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        pass
    from dateutil import tz  # type: ignore[import-untyped]  # no stubs in the dev set

    return tz.gettz(name)


def first_time(hhmm: str, now: dt.datetime) -> dt.datetime:
    """The next HH:MM on `now`'s own clock (later today, else tomorrow), without a zone."""
    hour, minute = (int(p) for p in hhmm.split(":"))
    local = now.replace(tzinfo=None, second=0, microsecond=0)
    first = local.replace(hour=hour, minute=minute)
    return first if first > local else first + dt.timedelta(days=1)


def daily_reminder(hhmm: str, locale: str, text: str, zone_id: str, now: dt.datetime) -> Any:
    """The Reminders API request; `now` is the current time in the device's zone (the model
    classes load here: only a reminder needs them)."""
    from ask_sdk_model.services.reminder_management import (
        AlertInfo,
        PushNotification,
        PushNotificationStatus,
        Recurrence,
        ReminderRequest,
        SpokenInfo,
        SpokenText,
        Trigger,
        TriggerType,
    )

    hour, minute = (int(p) for p in hhmm.split(":"))
    first = first_time(hhmm, now)
    return ReminderRequest(
        request_time=now.replace(tzinfo=None, microsecond=0),
        trigger=Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE, scheduled_time=first,
            time_zone_id=zone_id,
            recurrence=Recurrence(start_date_time=first, recurrence_rules=[
                f"FREQ=DAILY;BYHOUR={hour};BYMINUTE={minute};BYSECOND=0;INTERVAL=1"])),
        alert_info=AlertInfo(spoken_info=SpokenInfo(content=[SpokenText(locale=locale,
                                                                       text=text)])),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED))


def reminder_port(handler_input, locale: str) -> Callable[[str, str], str]:
    """The Dialog's `set_reminder`: ("HH:MM", text) -> "set", "permission" or "failed"."""

    def set_daily(hhmm: str, text: str) -> str:
        from ask_sdk_model.services import ServiceException

        system = handler_input.request_envelope.context.system
        permissions = getattr(system.user, "permissions", None)
        if not getattr(permissions, "consent_token", None):
            return "permission"
        factory = handler_input.service_client_factory
        device_id = getattr(getattr(system, "device", None), "device_id", None)
        if factory is None or not device_id:
            return "failed"
        # Without the device's zone the reminder could ring at the wrong hour: better none.
        try:
            zone_id = factory.get_ups_service().get_system_time_zone(device_id)
        except ServiceException as exc:
            log.warning("time zone unavailable: status %s", exc.status_code)
            return "failed"
        except Exception as exc:  # the API unreachable, or an unexpected answer
            log.warning("time zone unavailable: %s", type(exc).__name__)
            return "failed"
        zone = time_zone(zone_id)
        if zone is None:
            log.warning("time zone unavailable: not a known zone")
            return "failed"
        try:
            factory.get_reminder_management_service().create_reminder(
                daily_reminder(hhmm, locale, text, zone_id, utc_now().astimezone(zone)))
        except ServiceException as exc:
            if exc.status_code in (401, 403):
                return "permission"
            log.warning("reminder failed: status %s", exc.status_code)
            return "failed"
        except Exception as exc:  # the API unreachable, or an unexpected answer
            log.warning("reminder failed: %s", type(exc).__name__)
            return "failed"
        return "set"

    return set_daily
