"""`thigh-coach serve` checks every request as Amazon requires, with a test CA standing in."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from test_local_tools import post
from thigh_coach.local.envelopes import Session
from thigh_coach.local.serve import make_server
from thigh_coach.local.verify import RequestVerifier, VerificationFailed, check_cert_url

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"


def _cert(subject: str, key, issuer_cert=None, issuer_key=None, *, ca: bool, san=None):
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (x509.CertificateBuilder().subject_name(name)
               .issuer_name(issuer_cert.subject if issuer_cert else name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    else:
        builder = builder.add_extension(x509.SubjectAlternativeName(
            [x509.DNSName(san)]), critical=False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False)
    return builder.sign(issuer_key or key, hashes.SHA256())


@pytest.fixture(scope="module")
def pki():
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = _cert("Test Root", root_key, ca=True)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = _cert("echo-api.amazon.com", leaf_key, root, root_key, ca=False,
                 san="echo-api.amazon.com")
    stranger_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    stranger = _cert("echo-api.amazon.com", stranger_key, ca=True)
    return {"root": root, "leaf": leaf, "leaf_key": leaf_key, "stranger": stranger,
            "stranger_key": stranger_key}


def pem(*certs) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def signed(body: bytes, key, url: str = CERT_URL) -> dict:
    signature = key.sign(body, padding.PKCS1v15(), hashes.SHA256())
    return {"SignatureCertChainUrl": url, "Signature-256": base64.b64encode(signature).decode()}


@pytest.fixture
def secure_endpoint(app, pki):
    chains = {CERT_URL: pem(pki["leaf"], pki["root"])}
    verifier = RequestVerifier(fetch=lambda url: chains[url], roots=[pki["root"]])
    server = make_server("127.0.0.1", 0, verify=True, skill=app.skill, verifier=verifier)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/", chains
    server.shutdown()
    server.server_close()


def launch(skill_id: str | None = None, age_s: int = 0) -> bytes:
    session = Session()
    if skill_id:
        session.skill_id = skill_id
    envelope = session.launch()
    stamp = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=age_s)
    envelope["request"]["timestamp"] = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(envelope).encode()


def test_a_correctly_signed_request_is_answered(secure_endpoint, pki):
    url, _ = secure_endpoint
    body = launch()
    status, answer = post(url, body, signed(body, pki["leaf_key"]))
    assert status == 200
    assert "Welcome to Thigh Pain Coach" in answer["response"]["outputSpeech"]["ssml"]


def test_a_body_changed_after_signing_is_rejected(secure_endpoint, pki):
    url, _ = secure_endpoint
    body = launch()
    headers = signed(body, pki["leaf_key"])
    status, answer = post(url, body.replace(b"LaunchRequest", b"LaunchRequest "), headers)
    assert status == 400 and answer == {"error": "request verification failed"}


def test_a_timestamp_older_than_150_seconds_is_rejected(secure_endpoint, pki):
    url, _ = secure_endpoint
    body = launch(age_s=151)
    status, _ = post(url, body, signed(body, pki["leaf_key"]))
    assert status == 400


def test_a_certificate_not_chained_to_a_trusted_root_is_rejected(secure_endpoint, pki):
    url, chains = secure_endpoint
    rogue_url = "https://s3.amazonaws.com/echo.api/rogue.pem"
    chains[rogue_url] = pem(pki["stranger"])
    body = launch()
    status, _ = post(url, body, signed(body, pki["stranger_key"], rogue_url))
    assert status == 400


def test_a_request_for_another_skill_is_forbidden(secure_endpoint, pki, monkeypatch):
    import importlib

    import thigh_coach.app

    monkeypatch.setenv("SKILL_ID", "amzn1.ask.skill.11111111-1111-1111-1111-111111111111")
    app = importlib.reload(thigh_coach.app)
    try:
        verifier = RequestVerifier(fetch=lambda u: pem(pki["leaf"], pki["root"]),
                                   roots=[pki["root"]])
        server = make_server("127.0.0.1", 0, skill=app.skill, verifier=verifier)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        body = launch(skill_id="amzn1.ask.skill.22222222-2222-2222-2222-222222222222")
        status, answer = post(f"http://127.0.0.1:{server.server_port}/", body,
                              signed(body, pki["leaf_key"]))
        server.shutdown()
        server.server_close()
        assert status == 403 and "another skill" in answer["error"]
    finally:
        monkeypatch.delenv("SKILL_ID")
        importlib.reload(thigh_coach.app)


@pytest.mark.parametrize("url", [
    "http://s3.amazonaws.com/echo.api/cert.pem",
    "https://notamazon.com/echo.api/cert.pem",
    "https://s3.amazonaws.com/EcHo.aPi/cert.pem",
    "https://s3.amazonaws.com/invalid.path/cert.pem",
    "https://s3.amazonaws.com/echo.api/../invalid.path/cert.pem",
    "https://s3.amazonaws.com:563/echo.api/cert.pem",
])
def test_certificate_urls_amazon_does_not_use_are_refused(url):
    with pytest.raises(VerificationFailed):
        check_cert_url(url)


@pytest.mark.parametrize("url", [
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
])
def test_certificate_urls_amazon_uses_are_accepted(url):
    check_cert_url(url)


def _serve(tmp_path, *flags: str):
    import os
    import re
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "thigh_coach.cli", "serve", "--port", "0", *flags],
        stderr=subprocess.PIPE, text=True,
        env={**os.environ, "STORE_PATH": str(tmp_path / "store.sqlite3"), "TABLE_NAME": ""})
    lines = []
    for line in process.stderr:
        lines.append(line)
        found = re.search(r"listening on (http://\S+)", line)
        if found:
            return process, found.group(1), "".join(lines)
    process.kill()
    raise AssertionError("".join(lines))


def test_the_serve_command_verifies_by_default(tmp_path):
    process, url, output = _serve(tmp_path)
    try:
        assert "WARNING" not in output
        status, _ = post(url, launch())
        assert status == 400
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_no_verify_is_the_only_way_off_and_it_warns(tmp_path):
    process, url, output = _serve(tmp_path, "--no-verify")
    try:
        assert "WARNING: --no-verify" in output
        status, answer = post(url, launch())
        assert status == 200 and "Welcome" in answer["response"]["outputSpeech"]["ssml"]
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- a hardened endpoint: what no Alexa request looks like costs little and answers 400 -------

def test_a_body_nested_deeper_than_any_request_is_refused(secure_endpoint):
    url, _ = secure_endpoint
    body = b'{"a":' * 10_000 + b"1" + b"}" * 10_000
    status, answer = post(url, body[:60_000])  # inside the size limit, unbalanced or not
    assert status == 400
    deep = ("[" * 5_000 + "]" * 5_000).encode()
    assert post(url, b'{"x":' + deep + b"}")[0] == 400


@pytest.mark.parametrize("url", [
    "https://s3.amazonaws.com:99999/echo.api/cert.pem",
    "https://s3.amazonaws.com/echo.api/cert.pem?n=1",
    "https://s3.amazonaws.com/echo.api/cert.pem#x",
])
def test_malformed_or_cache_busting_certificate_urls_are_refused(url):
    with pytest.raises(VerificationFailed):
        check_cert_url(url)


def test_a_certificate_url_that_failed_is_not_fetched_again(pki):
    fetched = []

    def fetch(url):
        fetched.append(url)
        raise OSError("no such certificate")

    verifier = RequestVerifier(fetch=fetch, roots=[pki["root"]])
    body = launch()
    rogue = "https://s3.amazonaws.com/echo.api/missing.pem"
    for _ in range(3):
        with pytest.raises(VerificationFailed):
            verifier.verify(signed(body, pki["leaf_key"], rogue), body)
    assert fetched == [rogue]


def test_nothing_is_fetched_for_a_stale_request(pki):
    fetched = []
    verifier = RequestVerifier(fetch=lambda url: fetched.append(url) or b"", roots=[pki["root"]])
    body = launch(age_s=600)
    with pytest.raises(VerificationFailed, match="too old"):
        verifier.verify(signed(body, pki["leaf_key"]), body)
    assert fetched == []


def test_a_client_that_never_finishes_its_body_is_let_go(secure_endpoint):
    """The handler's socket timeout (no test waits for it: the setting is checked, and a
    half-sent body gets no answer rather than a thread held for good)."""
    from thigh_coach.local.serve import LISTEN_BACKLOG, SOCKET_TIMEOUT_S, AlexaServer, make_handler

    assert make_handler(None, None).timeout == SOCKET_TIMEOUT_S <= 30
    assert AlexaServer.request_queue_size == LISTEN_BACKLOG >= 64


def test_session_attributes_nested_deep_are_dropped_by_the_endpoint(app):
    server = make_server("127.0.0.1", 0, verify=False, skill=app.skill)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        envelope = Session().launch()
        deep: dict = {}
        cur = deep
        for _ in range(600):
            cur["x"] = {}
            cur = cur["x"]
        envelope["session"]["attributes"] = {"c": deep}
        status, answer = post(f"http://127.0.0.1:{server.server_port}/",
                              json.dumps(envelope).encode())
        assert status == 200 and "Welcome" in answer["response"]["outputSpeech"]["ssml"]
    finally:
        server.shutdown()
        server.server_close()
