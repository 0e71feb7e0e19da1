"""Holds as a real speech engine renders them: espeak-ng at 150 words a minute.

The timer estimates speaking time at 150 words a minute (timer.WORDS_PER_SECOND) and the
tests hold every plan to that estimate. This renders "Begin.", a whole hold and "And release."
to audio and measures, with sox, how long the hold lasts, so the estimate is checked against
real synthesis, with the sounds on and off. A hold runs from the end of "Begin." to the start
of "And release." (with sounds on, to the start of the end chime).

Alexa's sound library clips cannot be downloaded and espeak-ng plays no audio, so each clip
is rendered as a stand-in of its published length: a silence, joined to a break beside it
(espeak-ng merges breaks that touch, and trims one at the start of a document, hence
"Begin." first). The whole hold is one document, as Alexa renders it.
Needs Debian's espeak-ng and sox:
    apt-get install espeak-ng sox && .venv/bin/python benchmarks/hold_audio.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile

from thigh_coach.content import get_content
from thigh_coach.dialog import Dialog
from thigh_coach.profile import Profile
from thigh_coach.speech import Speech
from thigh_coach.state import Conversation
from thigh_coach.timer import HOLD_END, HOLD_START, hold_events, speech_of

CLIPS = {clip.src: clip.seconds for clip in (HOLD_START, HOLD_END)}
_SILENCES = re.compile(r'(?:\s*(?:<break time="(?:\d+)ms"/>|<audio src="(?:[^"]+)"/>))+')


def stand_ins(ssml: str) -> str:
    """Each clip as a silence of its length, merged with the breaks it touches."""
    def merged(run: re.Match) -> str:
        ms = sum(int(v) for v in re.findall(r'<break time="(\d+)ms"/>', run.group(0)))
        ms += sum(round(CLIPS[src] * 1000)
                  for src in re.findall(r'<audio src="([^"]+)"/>', run.group(0)))
        return f' <break time="{ms}ms"/>'
    return _SILENCES.sub(merged, ssml)


def seconds(ssml: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "hold.wav")
        subprocess.run(["espeak-ng", "-m", "-s", "150", "-w", wav, stand_ins(ssml)], check=True)
        out = subprocess.run(["soxi", "-D", wav], capture_output=True, text=True, check=True)
        return float(out.stdout)


def main() -> int:
    if not (shutil.which("espeak-ng") and shutil.which("soxi")):
        print("needs espeak-ng and sox: apt-get install espeak-ng sox", file=sys.stderr)
        return 2
    coach = Dialog(get_content(), "en-US", Conversation(), Profile()).coach
    print("| hold claimed | sounds | begin to release, espeak-ng at 150 wpm | difference |")
    print("|---:|---|---:|---:|")
    for chimes in (True, False):
        cues = coach._cues()._replace(chimes=chimes)
        ends = seconds(Speech().say(cues.begin).ssml()) + seconds(Speech().say(cues.release).ssml())
        end_clip = HOLD_END.seconds if chimes else 0.0  # after the hold, before "And release."
        for hold in (10, 20, 30, 45, 60):
            speech = Speech().say(cues.begin).extend(speech_of(hold_events(hold, cues)))
            measured = seconds(speech.ssml()) - ends - end_clip
            print(f"| {hold} s | {'on' if chimes else 'off'} | {measured:.2f} s "
                  f"| {measured - hold:+.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
