"""`make bench`: cold start, warm latency, memory, artifact size and DynamoDB calls, one table.

Cold starts are whole fresh processes (spawn, import, answer a LaunchRequest, exit), run
interleaved so drift on the machine hits every kind alike; medians are reported. This skill
runs from its built SAM artifact, as in Lambda (bytecode and compiled content included);
the hello-worlds and boto3 come from the development environment:
  a  bare Python (`pass`)
  b  the SDK's hello-world                  d  this skill, embedded store (SQLite)
  c  hello-world + the SDK's DynamoDB adapter   e  this skill on DynamoDB
DynamoDB is moto's server on 127.0.0.1, started and stopped here; nothing leaves the machine.
Warm latency is per turn, in process, over a scripted full session. The table is printed and
written to benchmarks/results/latest.md (and .json).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))
PY = sys.executable
RESULTS = HERE / "results"

GOALS = {"cold": 1.3, "warm_p99_ms": 5.0, "reads": 1, "memory": 1.3}

# a full session: launch, symptom check, an explanation, a routine with navigation, stop
SCRIPT = ["check my symptoms", "no", "no", "no", "no", "no", "no", "no", "no", "yes", "no",
          "yes", "yes", "no", "tell me about sciatica", "yes", "yes",
          "start the hamstring stretches", "which stretch is this", "next", "next",
          "go back", "pause", "resume", "make the holds longer", "skip this one",
          "how many are left", "stop"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoServer:
    """moto's DynamoDB on loopback, for the cold-start children (they can't share a mock)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("moto server did not start")

    def env(self) -> dict:
        return {"AWS_ENDPOINT_URL_DYNAMODB": self.url, "AWS_ACCESS_KEY_ID": "bench",
                "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "eu-west-1"}

    def create_table(self, name: str) -> None:
        import boto3

        client = boto3.client("dynamodb", endpoint_url=self.url, region_name="eu-west-1",
                              aws_access_key_id="bench", aws_secret_access_key="bench")
        client.create_table(
            TableName=name, BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def launch_event() -> str:
    from thigh_coach.local.envelopes import Session

    return json.dumps(Session(user_id=f"amzn1.ask.account.bench-{uuid.uuid4().hex}").launch())


def cold_starts(rounds: int, moto: MotoServer, store_dir: Path, built: Path | None) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in ("TABLE_NAME", "HELLO_TABLE")}
    base.update(moto.env(), LOG_LEVEL="WARNING", STORE_PATH=str(store_dir / "bench.sqlite3"))
    skill_env = {"PYTHONPATH": str(built), "CONTENT_DIR": str(built / "content")} if built \
        else {}
    kinds = {
        "a": ("bare", {}), "b": ("hello", {}), "c": ("hello", {"HELLO_TABLE": "hello"}),
        "d": ("skill", skill_env), "e": ("skill", {**skill_env, "TABLE_NAME": "profiles"}),
    }
    samples: dict[str, list[dict]] = {k: [] for k in kinds}
    for _ in range(rounds):
        for kind, (mode, extra) in kinds.items():
            args = [PY, str(HERE / "cold.py"), mode, launch_event(), str(HERE)]
            start = time.perf_counter()
            result = subprocess.run(args, env={**base, **extra}, capture_output=True, text=True,
                                    cwd=str(store_dir))
            wall = (time.perf_counter() - start) * 1000
            if result.returncode != 0:
                raise RuntimeError(f"cold start {kind} failed:\n{result.stderr[-2000:]}")
            sample = json.loads(result.stdout.strip().splitlines()[-1])
            sample["wall_ms"] = wall
            samples[kind].append(sample)
    return {kind: {"wall_ms": statistics.median(s["wall_ms"] for s in runs),
                   "in_process_ms": statistics.median(s["in_process_ms"] for s in runs),
                   "peak_rss_mb": statistics.median(s["peak_rss_kb"] for s in runs) / 1024}
            for kind, runs in samples.items()}


def fresh_app(env: dict):
    os.environ.update(env)
    import thigh_coach.app

    return importlib.reload(thigh_coach.app)


def warm_latency(sessions: int, store_dir: Path) -> dict:
    from helpers import Device

    os.environ.pop("TABLE_NAME", None)
    app = fresh_app({"STORE_PATH": str(store_dir / "warm.sqlite3"), "LOG_LEVEL": "WARNING"})
    import logging

    logging.getLogger().setLevel(logging.WARNING)
    timings: list[float] = []

    def timed(event, context):
        start = time.perf_counter_ns()
        response = app.lambda_handler(event, context)
        timings.append((time.perf_counter_ns() - start) / 1e6)
        return response

    for _ in range(sessions):
        device = Device(timed)
        device.launch()
        for line in SCRIPT:
            device.say(line)
    timings.sort()
    return {"turns": len(timings), "p50_ms": statistics.median(timings),
            "p99_ms": timings[int(len(timings) * 0.99) - 1], "max_ms": timings[-1]}


def dynamo_calls() -> dict:
    """DynamoDB calls per session for the script: a first session, then a returning one."""
    from moto import mock_aws

    env = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
           "AWS_DEFAULT_REGION": "eu-west-1", "TABLE_NAME": "profiles", "LOG_LEVEL": "WARNING"}
    saved = {k: os.environ.get(k) for k in [*env, "AWS_ENDPOINT_URL_DYNAMODB"]}
    os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)
    try:
        with mock_aws():
            import boto3

            from helpers import Device

            boto3.client("dynamodb", region_name="eu-west-1").create_table(
                TableName="profiles", BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
            app = fresh_app(env)
            counts: dict[str, int] = {}
            app.skill.persistence_adapter.client.meta.events.register(
                "before-call.dynamodb.*",
                lambda model, **_: counts.__setitem__(model.name, counts.get(model.name, 0) + 1))
            result = {}
            device = Device(app.lambda_handler)
            for label in ("first session", "returning session"):
                counts.clear()
                device.launch()
                for line in SCRIPT:
                    device.say(line)
                result[label] = {"reads": counts.get("GetItem", 0),
                                 "writes": counts.get("PutItem", 0)}
            return result
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build(build_dir: Path) -> Path:
    sam = shutil.which("sam") or str(Path(PY).parent / "sam")
    subprocess.run([sam, "build", "--build-dir", str(build_dir), "--cache-dir",
                    str(build_dir.parent / "cache")], cwd=REPO, check=True,
                   capture_output=True, env={**os.environ, "SAM_CLI_TELEMETRY": "0"})
    return build_dir / "SkillFunction"


def artifact(root: Path) -> dict:
    def size(path: Path) -> int:
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) \
            if path.is_dir() else path.stat().st_size

    packages: dict[str, int] = {}
    for entry in root.iterdir():
        name = entry.name.split("-")[0].lower() if entry.name.endswith(".dist-info") \
            else entry.name.removesuffix(".py").lower()
        name = {"pyyaml": "yaml", "python_dateutil": "dateutil"}.get(name, name)
        packages[name] = packages.get(name, 0) + size(entry)
    total = sum(packages.values())
    return {"total_mb": total / 2**20,
            "packages": dict(sorted(((k, v / 2**20) for k, v in packages.items()),
                                    key=lambda kv: -kv[1])),
            "has_boto3": (root / "boto3").exists() or (root / "botocore").exists()}


def table(results: dict) -> str:
    cold, warm, calls, art = (results[k] for k in ("cold", "warm", "dynamo", "artifact"))
    names = {"a": "bare Python", "b": "SDK hello-world", "c": "hello-world + SDK DynamoDB adapter",
             "d": "Thigh Pain Coach, embedded store", "e": "Thigh Pain Coach, DynamoDB"}
    ok = lambda good: "met" if good else "MISSED"  # noqa: E731
    d_b = cold["d"]["wall_ms"] / cold["b"]["wall_ms"]
    e_c = cold["e"]["wall_ms"] / cold["c"]["wall_ms"]
    mem_d = cold["d"]["peak_rss_mb"] / cold["b"]["peak_rss_mb"]
    mem_e = cold["e"]["peak_rss_mb"] / cold["c"]["peak_rss_mb"]
    lines = [
        f"Measured {results['when']} on {results['machine']}, {results['rounds']} interleaved "
        f"cold starts per kind (medians), {warm['turns']} warm turns; this skill run from "
        f"{results['skill_from']}.",
        "",
        "| cold start (fresh process, LaunchRequest) | wall ms | in-process ms | peak MB |",
        "|---|---:|---:|---:|",
    ]
    for kind, name in names.items():
        c = cold[kind]
        lines.append(f"| {kind}. {name} | {c['wall_ms']:.0f} | {c['in_process_ms']:.0f} | "
                     f"{c['peak_rss_mb']:.1f} |")
    lines += [
        "",
        "| measure | result | goal | |",
        "|---|---|---|---|",
        f"| cold start d/b | {d_b:.2f}x | within {GOALS['cold']}x | {ok(d_b <= GOALS['cold'])} |",
        f"| cold start e/c | {e_c:.2f}x | within {GOALS['cold']}x | {ok(e_c <= GOALS['cold'])} |",
        f"| warm turn p50 / p99 (in process) | {warm['p50_ms']:.2f} / {warm['p99_ms']:.2f} ms "
        f"| p99 under {GOALS['warm_p99_ms']:g} ms | {ok(warm['p99_ms'] < GOALS['warm_p99_ms'])} |",
        f"| peak memory d/b, e/c | {mem_d:.2f}x, {mem_e:.2f}x | within {GOALS['memory']}x | "
        f"{ok(max(mem_d, mem_e) <= GOALS['memory'])} |",
    ]
    for label, value in calls.items():
        lines.append(f"| DynamoDB per {label} | {value['reads']} read, {value['writes']} "
                     f"write{'s' if value['writes'] != 1 else ''} | at most 1 read, few writes "
                     f"| {ok(value['reads'] <= 1 and value['writes'] <= 3)} |")
    top = ", ".join(f"{k} {v:.1f}" for k, v in list(art["packages"].items())[:8])
    lines += [f"| SAM artifact | {art['total_mb']:.1f} MB, boto3 "
              f"{'BUNDLED' if art['has_boto3'] else 'not bundled'} | | |",
              "", f"Artifact by package (MB): {top}."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15, help="cold starts per kind")
    parser.add_argument("--sessions", type=int, default=100, help="warm scripted sessions")
    parser.add_argument("--no-build", action="store_true", help="skip the SAM build")
    args = parser.parse_args()
    import platform

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        built = None if args.no_build else build(tmp_path / "build")
        moto = MotoServer()
        try:
            moto.create_table("hello")
            moto.create_table("profiles")
            cold = cold_starts(args.rounds, moto, tmp_path, built)
        finally:
            moto.stop()
        results = {
            "when": time.strftime("%Y-%m-%d"), "rounds": args.rounds,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                       f"{platform.python_version()}",
            "cold": cold, "warm": warm_latency(args.sessions, tmp_path),
            "dynamo": dynamo_calls(),
            "artifact": {"total_mb": 0, "packages": {}, "has_boto3": False} if built is None
            else artifact(built),
            "skill_from": "source (--no-build)" if built is None else "its SAM artifact",
        }
    text = table(results)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(text + "\n")
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
