"""A daily stretch reminder through the Alexa Reminders API."""

from __future__ import annotations

import datetime as dt
import logging

from ask_sdk_model.services.api_client import ApiClient

log = logging.getLogger(__name__)


class LazyApiClient(ApiClient):
    """The SDK's DefaultApiClient, created on first use: it imports `requests` (about 150 ms
    of every cold start) and only a reminder needs it."""

    def __init__(self) -> None:
        self._client = None

    def invoke(self, request):
        if self._client is None:
            from ask_sdk_core.api_client import DefaultApiClient

            self._client = DefaultApiClient()
        return self._client.invoke(request)


def daily_reminder(hhmm: str, locale: str, text: str, today: dt.date):
    """The Reminders API request (its model classes load here: only a reminder needs them)."""
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
    first = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(hour, minute))
    return ReminderRequest(
        request_time=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        trigger=Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE, scheduled_time=first,
            recurrence=Recurrence(start_date_time=first, recurrence_rules=[
                f"FREQ=DAILY;BYHOUR={hour};BYMINUTE={minute};BYSECOND=0;INTERVAL=1"])),
        alert_info=AlertInfo(spoken_info=SpokenInfo(content=[SpokenText(locale=locale,
                                                                       text=text)])),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED))


def reminder_port(handler_input, locale: str):
    """The Dialog's `set_reminder`: ("HH:MM", text) -> "set", "permission" or "failed"."""

    def set_daily(hhmm: str, text: str) -> str:
        from ask_sdk_model.services import ServiceException

        user = handler_input.request_envelope.context.system.user
        permissions = getattr(user, "permissions", None)
        if not getattr(permissions, "consent_token", None):
            return "permission"
        factory = handler_input.service_client_factory
        if factory is None:
            return "failed"
        try:
            factory.get_reminder_management_service().create_reminder(
                daily_reminder(hhmm, locale, text, dt.date.today()))
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
