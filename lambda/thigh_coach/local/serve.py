"""`thigh-coach serve`: the skill as an HTTPS-backed web service endpoint (put TLS in front).

Requests are checked as Amazon requires of a web service: the signature and its certificate,
and a timestamp at most 150 s old (verify.py), then the skill id (the skill itself).
A failed check is answered 400 (403 for another skill's request), with no stack trace.
"""

from __future__ import annotations

import json
import logging
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_model import RequestEnvelope

from ..alexa import session_guard
from .verify import RequestVerifier, VerificationFailed

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024  # Alexa's requests are a few KB; anything this big is not one
SOCKET_TIMEOUT_S = 10  # Alexa sends a request at once; a slow body is not Alexa
LISTEN_BACKLOG = 128  # http.server's 5 dropped connections at 8 clients


class AlexaServer(ThreadingHTTPServer):
    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True


def make_handler(skill, verifier: RequestVerifier | None) -> type[BaseHTTPRequestHandler]:
    """`verifier` None: no checks at all (--no-verify)."""

    class AlexaEndpoint(BaseHTTPRequestHandler):
        server_version = "ThighCoach"
        sys_version = ""
        # a client that never finishes its body gives up its thread after this long
        timeout = SOCKET_TIMEOUT_S

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            log.info("%s %s", self.command, args[1] if len(args) > 1 else "")

        def _reply(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 - http.server's naming
            self._reply(405, {"error": "POST an Alexa request"})

        def do_POST(self):  # noqa: N802
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                return self._reply(411, {"error": "Content-Length required"})
            if length < 0 or length > MAX_BODY:
                return self._reply(413, {"error": "request too large"})
            try:
                raw = self.rfile.read(length)
            except TimeoutError:
                return None  # the connection is closed; no one is listening for an answer
            try:
                body = raw.decode("utf-8")
                if not isinstance(json.loads(body), dict):
                    raise ValueError
            except (ValueError, RecursionError):  # nested deeper than any Alexa request
                return self._reply(400, {"error": "body is not a JSON object"})
            try:
                if verifier is not None:
                    verifier.verify(dict(self.headers.items()), raw)
                envelope = skill.serializer.deserialize(payload=body, obj_type=RequestEnvelope)
                session_guard.clean_envelope(envelope)  # as lambda_handler does
                answer = skill.serializer.serialize(skill.invoke(envelope, context=None))
            except VerificationFailed as exc:
                log.warning("rejected: %s", exc)
                return self._reply(400, {"error": "request verification failed"})
            except AskSdkException as exc:
                if "Skill ID Verification" in str(exc):
                    return self._reply(403, {"error": "request is for another skill"})
                log.error("skill failed: %s", type(exc).__name__)
                return self._reply(400, {"error": "not a request this skill can answer"})
            except Exception as exc:  # never a stack trace to the caller
                log.error("endpoint failed: %s", type(exc).__name__)
                return self._reply(500, {"error": "internal error"})
            self._reply(200, answer)

    return AlexaEndpoint


def make_server(host: str, port: int, verify: bool = True, skill=None,
                verifier: RequestVerifier | None = None) -> AlexaServer:
    if skill is None:
        from ..app import skill
    if verify and verifier is None:
        verifier = RequestVerifier()
    return AlexaServer((host, port), make_handler(skill, verifier if verify else None))


def serve_forever(host: str, port: int, verify: bool = True) -> int:
    logging.basicConfig(level=logging.INFO)
    if not verify:
        print("WARNING: --no-verify: request signatures and timestamps are NOT checked. "
              "Use this only for local tools, never for an endpoint Alexa can reach.",
              file=sys.stderr)
    server = make_server(host, port, verify)
    print(f"Thigh Pain Coach listening on http://{host}:{server.server_port}/", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
