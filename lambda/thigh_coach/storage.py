"""Where profiles are kept: DynamoDB in AWS, an SQLite file for local runs.

Both are the SDK's `AbstractPersistenceAdapter`, so the skill does not care which it has.
Each item carries a version; a save names the version it was based on and fails with
`WriteConflict` if another device wrote in between, so the caller can decide which is newer.
Items expire `TTL_DAYS` after their last write (DynamoDB's time to live; SQLite checks on read).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException

from .profile import TTL_DAYS

log = logging.getLogger(__name__)

VERSION = "_version"  # carried inside the attributes dict, never stored as profile data
CONNECT_TIMEOUT = 1.0  # seconds; DynamoDB answers in milliseconds when it is well
READ_TIMEOUT = 1.0
MAX_VERSION = 2**53  # versions count saves; one this large is damage (and overflows SQLite)
CORRUPT = -1  # the version of an item too malformed to read: the next save replaces it,
# on condition that it is still the item that was read (a save by another device in between
# is a conflict, as for any item)


class StorageError(PersistenceException):
    """The store could not be reached or answered with an error."""


class WriteConflict(StorageError):
    """Another writer saved this user's item since it was read."""


def user_key(request_envelope) -> str:
    try:
        user_id = request_envelope.context.system.user.user_id
    except AttributeError:
        user_id = None
    if not user_id:
        raise StorageError("the request names no user")
    return user_id


def _expiry(now: float) -> int:
    return int(now + TTL_DAYS * 86400)


class DynamoStore(AbstractPersistenceAdapter):
    """One item per user: id, profile (JSON text), version, expires_at (the table's TTL)."""

    def __init__(self, table_name: str, client: Any = None) -> None:
        self.table_name = table_name
        self._client = client
        # user key -> the raw version attribute of a damaged item this store read (None: none)
        self._damaged: dict[str, dict | None] = {}

    @property
    def client(self):
        # Created on first use: most turns of a session never touch the store.
        if self._client is None:
            import boto3
            from botocore.config import Config

            # Alexa waits about 8 s and Lambda's timeout is 6 s: one attempt of at most
            # CONNECT_TIMEOUT + READ_TIMEOUT, so a turn with a read and a write that both hang
            # still answers in about 4 s and tells the user (a retry is the next turn's).
            self._client = boto3.client("dynamodb", config=Config(
                connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                retries={"total_max_attempts": 1}))
        return self._client

    def _call(self, operation: str, **kwargs):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(TableName=self.table_name, **kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code == "ConditionalCheckFailedException":
                raise WriteConflict(operation) from None
            raise StorageError(f"DynamoDB {operation} failed: {code}") from None
        except BotoCoreError as exc:
            raise StorageError(f"DynamoDB {operation} failed: {type(exc).__name__}") from None

    def get_attributes(self, request_envelope) -> dict:
        key = user_key(request_envelope)
        item = self._call("get_item", Key={"id": {"S": key}}, ConsistentRead=True).get("Item")
        if not item:
            return {}
        try:
            version = int(item["version"]["N"])
            expires = int(item["expires_at"]["N"])
        except (KeyError, TypeError, ValueError):
            version = CORRUPT
        if not _valid_version(version):
            log.warning("stored item is malformed; it will be replaced")
            self._damaged[key] = item.get("version")
            return {VERSION: CORRUPT}
        if expires < time.time():
            return {}  # past its TTL, not yet swept by DynamoDB
        return _decode(item.get("profile", {}).get("S"), version)

    def save_attributes(self, request_envelope, attributes: dict) -> None:
        data = {k: v for k, v in attributes.items() if k != VERSION}
        base = int(attributes.get(VERSION, 0))
        now = time.time()
        key = user_key(request_envelope)
        if base == 0:
            conditions: dict = {"ConditionExpression": "attribute_not_exists(id)"}
        elif base > 0:
            conditions = {"ConditionExpression": "version = :base",
                          "ExpressionAttributeValues": {":base": {"N": str(base)}}}
        else:  # a damaged item is replaced only if it is still the one read
            damaged = self._damaged.pop(key, None)
            conditions = ({"ConditionExpression": "attribute_exists(id) AND "
                                                  "attribute_not_exists(version)"}
                          if damaged is None else
                          {"ConditionExpression": "version = :damaged",
                           "ExpressionAttributeValues": {":damaged": damaged}})
        version = max(base, 0) + 1
        self._call(
            "put_item",
            Item={"id": {"S": key},
                  "profile": {"S": json.dumps(data, separators=(",", ":"))},
                  "version": {"N": str(version)}, "expires_at": {"N": str(_expiry(now))}},
            **conditions)
        attributes[VERSION] = version

    def delete_attributes(self, request_envelope) -> None:
        self._call("delete_item", Key={"id": {"S": user_key(request_envelope)}})


class SqliteStore(AbstractPersistenceAdapter):
    """The embedded store for local runs: one file, the same item shape as DynamoDB."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._damaged: dict[str, Any] = {}  # user key -> the version column of a damaged row

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=2)
            # WAL with NORMAL sync: a committed write survives a crash of this process, and
            # a turn doesn't wait on an fsync (this is the local, single-user store).
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS profiles (id TEXT PRIMARY KEY, profile TEXT NOT NULL,"
                " version INTEGER NOT NULL, expires_at INTEGER NOT NULL)")
            self._db.commit()
        return self._db

    def _run(self, sql: str, args: tuple) -> sqlite3.Cursor:
        try:
            with self._lock, self.db:
                return self.db.execute(sql, args)
        except (sqlite3.Error, OSError) as exc:
            raise StorageError(f"SQLite failed: {type(exc).__name__}") from None

    def get_attributes(self, request_envelope) -> dict:
        row = self._run("SELECT profile, version, expires_at FROM profiles WHERE id = ?",
                        (user_key(request_envelope),)).fetchone()
        if row is None or row[2] < time.time():
            return {}
        if not _valid_version(row[1]):
            log.warning("stored item is malformed; it will be replaced")
            self._damaged[user_key(request_envelope)] = row[1]
            return {VERSION: CORRUPT}
        return _decode(row[0], row[1])

    def save_attributes(self, request_envelope, attributes: dict) -> None:
        key = user_key(request_envelope)
        data = json.dumps({k: v for k, v in attributes.items() if k != VERSION},
                          separators=(",", ":"))
        base = int(attributes.get(VERSION, 0))
        expires = _expiry(time.time())
        if base == 0:
            # a row past its expiry counts as absent, as DynamoDB's TTL would have removed it
            cursor = self._run(
                "INSERT INTO profiles VALUES (?, ?, 1, ?) ON CONFLICT(id) DO UPDATE SET"
                " profile = excluded.profile, version = 1, expires_at = excluded.expires_at"
                " WHERE profiles.expires_at < ?", (key, data, expires, int(time.time())))
        elif base == CORRUPT:  # a malformed row: replaced, if it is still the one read
            cursor = self._run(
                "UPDATE profiles SET profile = ?, version = 1, expires_at = ?"
                " WHERE id = ? AND version IS ?", (data, expires, key, self._damaged.pop(key, None)))
        else:
            cursor = self._run(
                "UPDATE profiles SET profile = ?, version = ?, expires_at = ?"
                " WHERE id = ? AND version = ?", (data, base + 1, expires, key, base))
        if cursor.rowcount != 1:
            raise WriteConflict("save")
        attributes[VERSION] = max(base, 0) + 1  # a replaced damaged row starts again at 1

    def delete_attributes(self, request_envelope) -> None:
        self._run("DELETE FROM profiles WHERE id = ?", (user_key(request_envelope),))


def _valid_version(version: Any) -> bool:
    """A version a save of ours writes (1, 2, ...); anything else is a damaged item."""
    return type(version) is int and 0 < version < MAX_VERSION


def _decode(text: str | None, version: int) -> dict:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        log.warning("stored profile is not JSON; starting from defaults")
        data = {}
    if not isinstance(data, dict):
        data = {}
    data[VERSION] = version
    return data


def default_store_path() -> Path:
    return Path(os.environ.get("STORE_PATH") or Path.home() / ".thigh_coach" / "store.sqlite3")


def store_from_env() -> AbstractPersistenceAdapter:
    """DynamoDB when TABLE_NAME is set (in AWS), else the embedded SQLite store."""
    table = os.environ.get("TABLE_NAME")
    if table:
        return DynamoStore(table)
    return SqliteStore(default_store_path())
