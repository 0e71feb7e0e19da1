"""Checks Amazon requires of a skill hosted as a web service, before the skill sees a request.

1. SignatureCertChainUrl: https, host s3.amazonaws.com, path under /echo.api/, port 443.
2. The certificate chain from that URL: valid now, issued for echo-api.amazon.com, and chained
   to a trusted root (certifi's roots, through cryptography's X.509 path validation).
3. Signature-256: the RSA SHA-256 signature of the exact body bytes, by that certificate.
4. request.timestamp within 150 s of now.

ask-sdk-webservice-support does this too, but its certvalidator -> oscrypto 1.3.0 chain cannot
load on OpenSSL 3.0.10 and later (it misreads the version string), so it is done here with
`cryptography`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import posixpath
import threading
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

MAX_SKEW_S = 150
FAILURE_TTL_S = 300  # a certificate URL that failed is not fetched again for this long
MAX_FAILED = 1024  # failed URLs remembered at most (then forgotten all at once)
ECHO_DOMAIN = "echo-api.amazon.com"


class VerificationFailed(Exception):
    """The request did not pass a check; the message says which (never the body)."""


def check_cert_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        port = parts.port  # a port out of range raises
    except ValueError:
        raise VerificationFailed("certificate URL is malformed") from None
    path = posixpath.normpath(parts.path) if parts.path else ""
    if (parts.scheme.lower() != "https" or (parts.hostname or "").lower() != "s3.amazonaws.com"
            or not path.startswith("/echo.api/") or port not in (None, 443)
            or parts.query or parts.fragment):  # Amazon's URL has neither: no cache-busting
        raise VerificationFailed("certificate URL is not Amazon's")


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - URL checked above
        return response.read()


def _default_roots() -> list[x509.Certificate]:
    import certifi

    with open(certifi.where(), "rb") as handle:
        return x509.load_pem_x509_certificates(handle.read())


class RequestVerifier:
    def __init__(self, fetch: Callable[[str], bytes] = _fetch,
                 roots: list[x509.Certificate] | None = None,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self._fetch = fetch
        self._roots = roots
        self._now = now
        self._certs: dict[str, x509.Certificate] = {}  # verified signing cert by URL
        # URLs whose chain failed, and when: not fetched again for FAILURE_TTL_S, so a
        # stream of bad requests can't make the endpoint fetch on each one
        self._failed: dict[str, float] = {}
        self._lock = threading.Lock()

    def verify(self, headers: dict[str, str], body: bytes) -> None:
        lower = {k.lower(): v for k, v in headers.items()}
        url = lower.get("signaturecertchainurl")
        signature = lower.get("signature-256")
        if not url or not signature:
            raise VerificationFailed("signature headers missing")
        check_cert_url(url)
        try:  # the cheap checks first: nothing is fetched for a request that fails them
            raw_signature = base64.b64decode(signature, validate=True)
        except (ValueError, TypeError):
            raise VerificationFailed("signature is not base64") from None
        self.check_timestamp(body)
        cert = self._signing_cert(url)
        key = cert.public_key()
        if not isinstance(key, rsa.RSAPublicKey):  # Amazon signs with RSA (SHA-256)
            raise VerificationFailed("the signing certificate's key is not RSA")
        try:
            key.verify(raw_signature, body, padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError, TypeError):
            raise VerificationFailed("signature does not match the body") from None

    def check_timestamp(self, body: bytes) -> None:
        try:
            stamp = json.loads(body)["request"]["timestamp"]
            when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        except (ValueError, KeyError, TypeError):
            raise VerificationFailed("request timestamp missing or malformed") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        if abs((self._now() - when).total_seconds()) > MAX_SKEW_S:
            raise VerificationFailed("request timestamp is too old")

    def _signing_cert(self, url: str) -> x509.Certificate:
        now = self._now()
        with self._lock:
            cached = self._certs.get(url)
            failed_at = self._failed.get(url)
        if cached is not None and cached.not_valid_after_utc > now:
            return cached
        if failed_at is not None and now.timestamp() - failed_at < FAILURE_TTL_S:
            raise VerificationFailed("certificate chain failed recently")
        try:
            return self._load_chain(url, now)
        except VerificationFailed:
            with self._lock:
                if len(self._failed) >= MAX_FAILED:
                    self._failed.clear()
                self._failed[url] = now.timestamp()
            raise

    def _load_chain(self, url: str, now: dt.datetime) -> x509.Certificate:
        try:
            chain = x509.load_pem_x509_certificates(self._fetch(url))
        except Exception:
            raise VerificationFailed("certificate chain could not be loaded") from None
        if not chain:
            raise VerificationFailed("certificate chain is empty")
        leaf, intermediates = chain[0], chain[1:]
        roots = self._roots if self._roots is not None else _default_roots()
        verifier = (PolicyBuilder().store(Store(roots)).time(now)
                    .build_server_verifier(x509.DNSName(ECHO_DOMAIN)))
        try:
            verifier.verify(leaf, intermediates)
        except VerificationError:
            raise VerificationFailed("certificate chain is not trusted") from None
        with self._lock:
            self._certs[url] = leaf
        return leaf
