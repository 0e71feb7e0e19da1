"""The SAM template validates and builds offline; the artifact answers outside the repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, event

pytestmark = pytest.mark.slow
SAM = shutil.which("sam") or str(Path(sys.executable).parent / "sam")
ENV = {**os.environ, "SAM_CLI_TELEMETRY": "0"}


def test_template_passes_sam_validate_lint():
    result = subprocess.run([SAM, "validate", "--lint"], cwd=REPO, env=ENV,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def artifact(tmp_path_factory) -> Path:
    build_dir = tmp_path_factory.mktemp("sam") / "build"
    result = subprocess.run(
        [SAM, "build", "--build-dir", str(build_dir), "--cache-dir",
         str(build_dir.parent / "cache")],
        cwd=REPO, env=ENV, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return build_dir / "SkillFunction"


def test_artifact_does_not_bundle_boto3_and_ships_the_content(artifact):
    assert not (artifact / "boto3").exists() and not (artifact / "botocore").exists()
    assert (artifact / "thigh_coach" / "app.py").exists()
    assert (artifact / "content" / "texts.yaml").exists()
    assert not (artifact / "thigh_coach" / "local").exists()
    assert not (artifact / "thigh_coach" / "review").exists()  # the clinician's pack
    # the local NLU's statistical stage is a development tool: never shipped
    for dev_only in ("sklearn", "pycrfsuite", "numpy", "scipy", "hassil"):
        assert not (artifact / dev_only).exists(), dev_only
    for tool in ("model.py", "contentcheck.py", "cli.py"):
        assert not (artifact / "thigh_coach" / tool).exists(), tool


def test_artifact_ships_bytecode_and_compiled_content(artifact):
    # /var/task is read-only in Lambda: what isn't compiled here is compiled every cold start
    assert list((artifact / "thigh_coach" / "__pycache__").glob("app.cpython-311.pyc"))
    assert list((artifact / "content" / "__pycache__").glob("content-*.pickle"))


def test_built_handler_answers_a_launch_in_a_clean_interpreter(artifact, tmp_path):
    script = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(artifact)!r})\n"
        "from thigh_coach.app import lambda_handler\n"
        "print(json.dumps(lambda_handler(json.load(sys.stdin), None)))\n"
        "assert 'boto3' not in sys.modules\n")
    env = {"PATH": os.environ["PATH"], "CONTENT_DIR": str(artifact / "content"),
           "STORE_PATH": str(tmp_path / "store.sqlite3"), "HOME": str(tmp_path)}
    # -S: no site-packages, -I: no user site or PYTHON* variables; only the artifact is there
    result = subprocess.run([sys.executable, "-I", "-S", "-c", script], cwd=tmp_path, env=env,
                            input=json.dumps(event("launch")), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)
    assert "Welcome to Thigh Pain Coach" in response["response"]["outputSpeech"]["ssml"]
