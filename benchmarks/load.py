"""`make load`: Locust against `thigh-coach serve`, on SQLite and on moto's DynamoDB server.

For each store and each number of simulated users (1, 4 and 8 by default), a fresh store and
a fresh `serve --no-verify` process take realistic sessions (benchmarks/locustfile.py) for
`--seconds`; then every account's stored place is checked against where its last session
said it stopped, by opening the skill again as that account ("Last time you stopped at the
..."). Prints requests per second, p50 and p99 latency, errors and lost or wrong places, and
writes the table to benchmarks/results/load.md (never copied by hand). `--soak-minutes 30`
adds one long run at 4 users on SQLite that samples the server's memory each minute.

Not part of `make test`: it takes minutes and measures this machine, a shared 2-core VM.
Everything runs on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from run import PY, MotoServer, free_port

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "load.md"
LAST_TIME = re.compile(r"Last time you stopped at the (.+?)\.")


class Server:
    """`thigh-coach serve --no-verify` on a free loopback port, with the store `env` names."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [PY, "-m", "thigh_coach.cli", "serve", "--no-verify", "--port", str(self.port)],
            cwd=ROOT, env={**os.environ, **env, "LOG_LEVEL": "WARNING"},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url, timeout=1)
            except urllib.error.HTTPError:  # 405 to a GET: it is up
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("serve did not start: " + self.process.stderr.read().decode()[-500:])

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def post(self, envelope: dict) -> dict:
        request = urllib.request.Request(self.url, data=json.dumps(envelope).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def locust(server: Server, users: int, seconds: int, workdir: Path) -> dict:
    """One headless Locust run; its aggregated figures and each account's expected place."""
    prefix = workdir / f"u{users}"
    expected = workdir / f"u{users}-expected.json"
    subprocess.run(
        [PY, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", server.url,
         "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR"],
        cwd=ROOT / "benchmarks", check=False, capture_output=True, text=True,
        env={**os.environ, "LOAD_EXPECTED": str(expected),
             "PYTHONPATH": str(ROOT / "lambda")})
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return {"requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
            "rps": float(total["Requests/s"]), "p50": float(total["50%"]),
            "p99": float(total["99%"]), "expected": json.loads(expected.read_text())}


def check_places(server: Server, expected: dict[str, str | None]) -> tuple[int, int, int]:
    """(places checked, places lost or wrong, stops that said nothing was saved). Accounts
    whose session the run's end cut off are not checked."""
    from thigh_coach.local.envelopes import Session

    checked = wrong = unsaved = 0
    for user_id, exercise in expected.items():
        if exercise == "?":  # locustfile.IN_FLIGHT
            continue
        if exercise is None:
            unsaved += 1
            continue
        reply = server.post(Session(user_id=user_id).launch())
        reprompt = reply.get("response", {}).get("reprompt", {}).get("outputSpeech", {})
        found = LAST_TIME.search(reprompt.get("ssml", ""))
        checked += 1
        if (found.group(1) if found else "") != exercise:  # "": the routine was done
            wrong += 1
            print(f"  {user_id[-8:]}: said {exercise!r}, stored "
                  f"{found.group(1) if found else None!r}", file=sys.stderr)
    return checked, wrong, unsaved


def one_run(store: str, users: int, seconds: int, workdir: Path,
            moto: MotoServer | None) -> dict:
    if store == "dynamodb":
        assert moto is not None
        table = f"load{users}"
        moto.create_table(table)
        env = {**moto.env(), "TABLE_NAME": table}
    else:
        env = {"STORE_PATH": str(workdir / f"{store}-{users}.sqlite3")}
    server = Server(env)
    try:
        result = locust(server, users, seconds, workdir)
        result["checked"], result["wrong"], result["unsaved"] = check_places(
            server, result.pop("expected"))
        result["rss_mb"] = server.rss_mb()
    finally:
        server.stop()
    return {"store": store, "users": users, "seconds": seconds, **result}


def soak(minutes: int, workdir: Path) -> dict:
    """4 users on SQLite for `minutes`, the server's resident memory sampled each minute."""
    server = Server({"STORE_PATH": str(workdir / "soak.sqlite3")})
    samples = [server.rss_mb()]
    try:
        runner = subprocess.Popen(
            [PY, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"),
             "--headless", "-u", "4", "-r", "4", "-t", f"{minutes * 60}s", "--host",
             server.url, "--only-summary", "--loglevel", "ERROR"],
            cwd=ROOT / "benchmarks", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(ROOT / "lambda")})
        while runner.poll() is None:
            time.sleep(60)
            samples.append(server.rss_mb())
    finally:
        server.stop()
    return {"minutes": minutes, "start_mb": samples[0], "end_mb": samples[-1],
            "max_mb": max(samples), "samples": samples}


def table(runs: list[dict], soaked: dict | None) -> str:
    lines = ["| store | users | requests/s | p50 ms | p99 ms | errors | places checked | "
             "lost or wrong | not saved | server memory MB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        lines.append(f"| {r['store']} | {r['users']} | {r['rps']:.0f} | {r['p50']:.0f} | "
                     f"{r['p99']:.0f} | {r['failures']} of {r['requests']} | {r['checked']} | "
                     f"{r['wrong']} | {r['unsaved']} | {r['rss_mb']:.0f} |")
    text = "\n".join(lines) + "\n"
    if soaked:
        text += (f"\nSoak, 4 users on SQLite for {soaked['minutes']} minutes: server memory "
                 f"{soaked['start_mb']:.0f} MB at the start, {soaked['end_mb']:.0f} MB at the "
                 f"end, at most {soaked['max_mb']:.0f} MB. Each minute (the first sample is "
                 f"before any request, so it lacks what the first turns load): "
                 f"{', '.join(f'{m:.0f}' for m in soaked['samples'])} MB.\n")
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="each run's length")
    parser.add_argument("--users", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--stores", nargs="+", default=["sqlite", "dynamodb"],
                        choices=["sqlite", "dynamodb"])
    parser.add_argument("--soak-minutes", type=int, default=0,
                        help="also a long run at 4 users on SQLite, reporting memory")
    parser.add_argument("--out", type=Path, default=RESULTS,
                        help="where the table goes (default: benchmarks/results/load.md)")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        workdir = Path(tmp)
        moto = MotoServer() if "dynamodb" in args.stores else None
        try:
            for store in args.stores:
                for users in args.users:
                    run = one_run(store, users, args.seconds, workdir, moto)
                    print(table([run], None).splitlines()[-1], flush=True)
                    runs.append(run)
        finally:
            if moto is not None:
                moto.stop()
        soaked = soak(args.soak_minutes, workdir) if args.soak_minutes else None
    text = table(runs, soaked)
    args.out.write_text(f"# Load (`make load`), {time.strftime('%Y-%m-%d')}\n\n"
                       f"Each run {args.seconds} s, a fresh store and server; sessions from "
                       "benchmarks/locustfile.py.\n\n" + text, encoding="utf-8")
    print("\n" + text + f"\nwritten to {args.out}")
    failed = any(r["failures"] or r["wrong"] for r in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
