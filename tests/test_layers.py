"""The domain is plain Python: none of it loads the Alexa SDK."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN = ["content", "speech", "voice", "triage", "timer", "dialog", "symptom_talk", "state",
          "talk", "safety_talk",
          "cause_talk", "routine_talk", "topic_talk", "profile", "reply", "contentcheck",
          "model", "review"]


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_imports_no_alexa_sdk(module):
    code = (f"import sys, thigh_coach.{module}\n"
            "loaded = sorted(m for m in sys.modules if m.startswith(('ask_sdk', 'boto')))\n"
            "print(loaded); sys.exit(1 if loaded else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
