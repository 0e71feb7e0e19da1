"""One cold start, run as a fresh process by run.py: import a handler, answer a launch.

Prints JSON: the in-process time from first import to the answer, and peak memory.
"""

# What the Lambda Python runtime's bootstrap (awslambdaric/bootstrap.py) has imported before
# it imports a handler; imported here for every kind alike, so the numbers model Lambda.
import importlib  # noqa: F401
import json
import logging  # noqa: F401
import os  # noqa: F401
import sys
import time
import traceback  # noqa: F401

start = time.perf_counter()
mode = sys.argv[1]
if mode != "bare":
    event = json.loads(sys.argv[2])
    if mode.startswith("hello"):
        sys.path.insert(0, sys.argv[3])
        from hello_world import lambda_handler
    else:
        from thigh_coach.app import lambda_handler
    response = lambda_handler(event, None)
    assert "outputSpeech" in response["response"], response
elapsed = time.perf_counter() - start


def peak_rss_kb() -> int:
    # VmHWM starts afresh with this process image; getrusage's ru_maxrss on Linux would
    # include the parent's memory at the fork that started us.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


print(json.dumps({"in_process_ms": elapsed * 1000, "peak_rss_kb": peak_rss_kb()}))
