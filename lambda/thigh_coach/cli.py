"""`thigh-coach`: chat in a terminal, serve an HTTP endpoint, or generate the models."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _model_dir() -> Path:
    return Path(os.environ.get("MODEL_DIR") or REPO / "interaction_model")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="thigh-coach", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    chat = sub.add_parser("chat", help="talk to the skill in the terminal")
    chat.add_argument("--locale", default="en-US")
    chat.add_argument("--user", default="amzn1.ask.account.local-user",
                      help="user id: the same id remembers progress between chats")
    chat.add_argument("--screen", action="store_true", help="a device with a screen (APL)")
    chat.add_argument("--store", help="SQLite file (default ~/.thigh_coach/store.sqlite3)")

    serve = sub.add_parser("serve", help="an HTTP endpoint Alexa can call")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--no-verify", action="store_true",
                       help="skip signature and timestamp checks (local tools only)")

    model = sub.add_parser("model", help="generate interaction_model/<locale>.json")
    model.add_argument("--check", action="store_true",
                       help="exit 1 if a committed model differs from the generated one")

    sub.add_parser("check", help="every response the content can produce, against Alexa's limits")

    args = parser.parse_args(argv)
    from .content import ContentError

    try:
        if args.command == "chat":
            return _chat(args)
        if args.command == "serve":
            from .local.serve import serve_forever

            return serve_forever(args.host, args.port, verify=not args.no_verify)
        if args.command == "check":
            return _check()
        return _model(args)
    except ContentError as exc:
        print(f"content error: {exc}", file=sys.stderr)
        return 2


def _chat(args) -> int:
    if args.store:
        os.environ["STORE_PATH"] = args.store
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from .app import lambda_handler
    from .local.chat import interactive_lines, run

    interactive = sys.stdin.isatty()
    lines = interactive_lines(sys.stdout) if interactive else sys.stdin
    try:
        run(lines, sys.stdout, lambda_handler, _model_dir(), args.locale, args.user,
            args.screen, interactive)
    except KeyboardInterrupt:
        pass
    return 0


def _check() -> int:
    from .content import get_content
    from .contentcheck import check

    problems = check(get_content())
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)" if problems else "content ok: every response within limits")
    return 1 if problems else 0


def _model(args) -> int:
    from .content import get_content
    from .model import build_model, locales, render, write_models

    content = get_content()
    out_dir = _model_dir()
    if args.check:
        stale = [loc for loc in locales(content)
                 if not (out_dir / f"{loc}.json").exists()
                 or (out_dir / f"{loc}.json").read_text() != render(build_model(content, loc))]
        for loc in stale:
            print(f"{out_dir / loc}.json differs from its source; run: thigh-coach model")
        return 1 if stale else 0
    for path in write_models(content, out_dir):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
