"""`thigh-coach chat` and `thigh-coach serve`, as a developer runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest

from helpers import REPO, Device
from thigh_coach.local.envelopes import Session
from thigh_coach.local.serve import MAX_BODY, make_server


def chat(lines: list[str], tmp_path, *args: str) -> str:
    env = {**os.environ, "STORE_PATH": str(tmp_path / "chat.sqlite3")}
    env.pop("TABLE_NAME", None)
    result = subprocess.run(
        [sys.executable, "-m", "thigh_coach.cli", "chat", *args],
        input="\n".join(lines) + "\n", capture_output=True, text=True, env=env, timeout=60,
        cwd=REPO)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_scripted_chat_holds_a_conversation(tmp_path):
    out = chat(["open thigh pain coach", "help", "order a pizza", "repeat", "",
                "stop"], tmp_path)
    assert "You: open thigh pain coach" in out
    assert "In an emergency, call 9 1 1" in out
    assert "yes or no questions" in out
    assert out.count("Sorry, I didn't understand that.") == 2  # the fallback, then its repeat
    assert "(silence)" in out and "(reprompt:" in out
    assert "Goodbye. Take care." in out and "(session ended)" in out


def test_chat_prints_a_chime_where_the_sound_plays(tmp_path):
    out = chat(["open thigh pain coach", "start the hamstring stretches", "no", "ready"],
               tmp_path)
    assert "Begin. [chime]" in out and "[chime] And release." in out


def test_chat_uses_the_chosen_locale(tmp_path):
    out = chat(["open thigh pain coach"], tmp_path, "--locale", "en-AU")
    assert "triple zero" in out


def test_two_silences_close_the_session(tmp_path):
    out = chat(["open thigh pain coach", "", ""], tmp_path)
    assert "Alexa closes the session" in out


@pytest.fixture
def endpoint(app):
    servers = []

    def start(verify: bool):
        server = make_server("127.0.0.1", 0, verify=verify, skill=app.skill)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def post(url: str, body: bytes, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def launch_body() -> bytes:
    return json.dumps(Session().launch()).encode()


def test_endpoint_without_checks_answers_a_launch(endpoint):
    status, body = post(endpoint(verify=False), launch_body())
    assert status == 200
    assert "Welcome to Thigh Pain Coach" in body["response"]["outputSpeech"]["ssml"]


def test_endpoint_rejects_an_unsigned_request_by_default(endpoint):
    status, body = post(endpoint(verify=True), launch_body())
    assert status == 400 and body == {"error": "request verification failed"}


def test_endpoint_rejects_a_body_that_is_not_json(endpoint):
    status, body = post(endpoint(verify=True), b"<xml>not json</xml>")
    assert status == 400 and "not a JSON object" in body["error"]


def test_endpoint_rejects_an_oversized_body(endpoint):
    status, _ = post(endpoint(verify=False), b"{" + b" " * (MAX_BODY + 1) + b"}")
    assert status == 413


def test_device_helper_and_endpoint_agree(app, endpoint):
    url = endpoint(verify=False)
    session = Session()
    _, over_http = post(url, json.dumps(session.launch()).encode())
    direct = Device(app.lambda_handler).launch()
    assert over_http["response"]["outputSpeech"] == direct.body["outputSpeech"]


def test_matcher_normalises_only_what_speech_recognition_does():
    from thigh_coach.local.nlu import normalize, time_value

    assert normalize("I CAN'T BREATHE!!") == "i can't breathe"
    assert normalize("Call 999, now") == "call nine nine nine now"
    assert normalize("hold for 45 seconds") == "hold for forty five seconds"
    assert normalize("A&E") == "a and e"
    assert [time_value(t) for t in ("seven pm", "7:30", "half past six in the morning",
                                    "quarter to eight", "noon")] == [
        "19:00", "07:30", "06:30", "07:45", "12:00"]


def test_matcher_is_word_for_word_and_a_free_slot_never_resolves():
    from helpers import matcher

    m = matcher("en-GB")
    sample = next(p.text for p in m.patterns if p.intent == "WarningClotIntent" and not p.slots)
    assert m.match(sample).intent == "WarningClotIntent"
    assert m.match(sample + " banana").intent == "AMAZON.FallbackIntent"  # word for word only
    assert m.match("the MRI, do I need one?").intent == "AMAZON.FallbackIntent"
    carrier = next(p.text for p in m.patterns if p.intent == "CauseInfoIntent"
                   and p.text.endswith(" {cause}") and p.text.count("{") == 1)
    free = m.match(carrier.replace("{cause}", "gout"))  # carrier words; "gout" is no value
    assert free.intent == "CauseInfoIntent" and free.slots["cause"] == ("gout", None)
    named = m.match(carrier.replace("{cause}", "sciatica"))
    assert named.slots["cause"] == ("sciatica", "sciatica")
    # no carrier words: nothing everyday becomes a free slot
    assert m.match("he says okay").intent == "AMAZON.FallbackIntent"


