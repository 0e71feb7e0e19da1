"""Holds as a real speech engine renders them: espeak-ng at 150 words a minute.

The timer estimates speaking time at 150 words a minute (timer.WORDS_PER_SECOND) and the
tests hold every plan to that estimate. This renders "Begin.", a whole hold and "And release."
to audio and measures, with sox, the time between the two phrases, so the estimate is
checked against real synthesis. Needs Debian's espeak-ng and sox:
    apt-get install espeak-ng sox && .venv/bin/python benchmarks/hold_audio.py
(A break at the very start of a document is trimmed by espeak-ng, hence "Begin." first.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

from thigh_coach.content import get_content
from thigh_coach.dialog import Dialog
from thigh_coach.profile import Profile
from thigh_coach.speech import Speech
from thigh_coach.timer import hold_events, speech_of


def seconds(ssml: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "hold.wav")
        subprocess.run(["espeak-ng", "-m", "-s", "150", "-w", wav, ssml], check=True)
        out = subprocess.run(["soxi", "-D", wav], capture_output=True, text=True, check=True)
        return float(out.stdout)


def main() -> int:
    if not (shutil.which("espeak-ng") and shutil.which("soxi")):
        print("needs espeak-ng and sox: apt-get install espeak-ng sox", file=sys.stderr)
        return 2
    cues = Dialog(get_content(), "en-US", {}, Profile())._cues()
    ends = seconds(Speech().say(cues.begin).ssml()) + seconds(Speech().say(cues.release).ssml())
    print("| hold claimed | begin to release, espeak-ng at 150 wpm | difference |")
    print("|---:|---:|---:|")
    for hold in (10, 20, 30, 45, 60):
        speech = Speech().say(cues.begin).extend(speech_of(hold_events(hold, cues)))
        measured = seconds(speech.ssml()) - ends
        print(f"| {hold} s | {measured:.2f} s | {measured - hold:+.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
