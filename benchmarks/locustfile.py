"""Realistic sessions for `make load` (benchmarks/load.py runs Locust with this file).

Each simulated user is one Alexa account on one device, posting real request envelopes to
`thigh-coach serve --no-verify`: most sessions start a routine, answer the safety screen, get
into position, move on a few steps and stop (the skill saves the place); some are a symptom
check answered "no" throughout, or a question about a cause. After every stop the user notes
where the skill said it saved the place; load.py checks each account's stored place against
the last one noted.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, events, task

from thigh_coach.local.envelopes import Session, slot

ROUTINES = ("hamstring", "sciatica", "piriformis", "strengthening", "gentle")
SAVED = re.compile(r"saved your place at the (.+?)\.")
UNSAVED = "couldn't save your place"
# account -> the exercise its last stop said it saved; "" when the routine was finished (no
# place kept); None when the skill said it could not save; IN_FLIGHT while a session runs
# (starting a routine stores it at once, so a session the run's end cuts off has no answer)
IN_FLIGHT = "?"
EXPECTED: dict[str, str | None] = {}


class Speaker(HttpUser):
    wait_time = between(0.05, 0.2)  # a person's pause, shortened: this measures the server

    def on_start(self) -> None:
        self.device = Session(locale=random.choice(["en-US", "en-GB", "en-AU", "en-IN"]))

    def turn(self, envelope: dict, name: str) -> str:
        """Post one request; the speech heard ("" on a failure, which Locust counts)."""
        with self.client.post("/", json=envelope, name=name, catch_response=True) as reply:
            if reply.status_code != 200:
                reply.failure(f"HTTP {reply.status_code}")
                self.device.restart()
                return ""
            body = reply.json()
            speech = body.get("response", {}).get("outputSpeech", {}).get("ssml", "")
            if "something went wrong" in speech:
                reply.failure("the skill's error reply")
            self.device.absorb(body)
            return speech

    def intent(self, name: str, **slots: tuple[str, str]) -> str:
        filled = {key: slot(key, heard, value_id, slot_type=key.upper())
                  for key, (heard, value_id) in slots.items()}
        return self.turn(self.device.intent(name, filled), name)

    @task(8)
    def a_routine(self) -> None:
        if random.random() < 0.5:  # half the routines on a new account: more places to check
            self.device = Session(locale=self.device.locale)
        EXPECTED[self.device.user_id] = IN_FLIGHT
        self.turn(self.device.launch(), "LaunchRequest")
        routine = random.choice(ROUTINES)
        heard = self.intent("StartRoutineIntent", routine=(routine, routine))
        if "Before we start" in heard:  # the safety screen, once a session
            heard = self.intent("AMAZON.NoIntent")
        if "Ready to begin?" in heard:
            self.intent("AMAZON.YesIntent")
        for _ in range(random.randint(0, 6)):
            self.intent("AMAZON.NextIntent")
        stopped = self.intent("AMAZON.StopIntent")
        found = SAVED.search(stopped)
        EXPECTED[self.device.user_id] = (found.group(1) if found
                                         else None if UNSAVED in stopped else "")
        self.device.restart()

    @task(1)
    def a_check(self) -> None:
        self.turn(self.device.launch(), "LaunchRequest")
        heard = self.intent("CheckSymptomsIntent")
        for _ in range(14):
            if "?" not in heard or "routine" in heard:
                break
            heard = self.intent("AMAZON.NoIntent")
        self.intent("AMAZON.StopIntent")
        self.device.restart()

    @task(1)
    def a_question(self) -> None:
        self.turn(self.device.launch(), "LaunchRequest")
        self.intent("CauseInfoIntent", cause=("sciatica", "sciatica"))
        self.intent("AMAZON.StopIntent")
        self.device.restart()


@events.test_stop.add_listener
def _save_expected(**_kwargs) -> None:
    path = os.environ.get("LOAD_EXPECTED")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(EXPECTED, out)
