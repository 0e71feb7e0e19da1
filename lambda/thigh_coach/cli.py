"""`thigh-coach`: chat in a terminal, serve an HTTP endpoint, generate the models, and package,
deploy and self-check the skill for publishing."""

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
    chat.add_argument("--exact", action="store_true",
                      help="the grammar alone: only what a sample says word for word")
    chat.add_argument("--show-intent", action="store_true",
                      help="print what was heard before each reply: intent, slots, stage")

    serve = sub.add_parser("serve", help="an HTTP endpoint Alexa can call")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--no-verify", action="store_true",
                       help="skip signature and timestamp checks (local tools only)")

    model = sub.add_parser("model", help="generate interaction_model/<locale>.json")
    model.add_argument("--check", action="store_true",
                       help="exit 1 if a committed model differs from the generated one")

    sub.add_parser("check", help="every response the content can produce, against Alexa's limits")

    review = sub.add_parser("review", help="write the clinician's review pack (review.md and a "
                            "self-contained review.html), offline")
    review.add_argument("--out", default="build/review", help="folder for the two files")

    icons = sub.add_parser("icons", help="draw the skill's 108 and 512 px icons into assets/")
    icons.add_argument("--out", default="assets", help="folder for icon-108.png, icon-512.png")

    # package, deploy and certify work on the repository they are run in (make runs them there)
    package = sub.add_parser("package", help="write the ASK CLI skill package into build/skill "
                             "(endpoint from the stack) and create or update the skill with it")
    deploy = sub.add_parser("deploy", help="sam build, sam deploy (guided the first time), "
                            "then package; on a first deploy the skill is created first")
    for command in (package, deploy):
        command.add_argument("--publish", default="publish.yaml", help="the publisher's values")
        command.add_argument("--out", default="build/skill", help="the ASK CLI project folder")
        command.add_argument("--draft", action="store_true",
                             help="write despite placeholders or malformed values; never upload")
        command.add_argument("--skill-id", help="the skill's id, if it exists but is not known "
                             "here yet (samconfig.toml and build/skill keep it after that)")
        command.add_argument("--ask-profile", default="default", help="ASK CLI profile")
    package.add_argument("--endpoint", help="the function's ARN (default: the stack's "
                         "SkillFunctionArn, read with aws cloudformation describe-stacks)")
    package.add_argument("--no-upload", action="store_true", help="only write the package")
    package.add_argument("--mode", choices=("questions", "read-aloud"),
                         help="the publish mode whose store texts to use (default: the stack's "
                              "SymptomCheck parameter)")

    certify = sub.add_parser("certify", help="a pre-submission self-check: PASS or FAIL per rule")
    certify.add_argument("--publish", default="publish.yaml", help="the publisher's values")
    certify.add_argument("--turns", type=int, default=300,
                         help="random-walk turns per locale (every open response asks something)")
    certify.add_argument("--seed", type=int, default=12)

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
        if args.command == "review":
            from .content import get_content
            from .review import write_review

            for path in write_review(get_content(), Path(args.out)):
                print(f"wrote {path}")
            return 0
        if args.command == "icons":
            from .local.icons import write_icons

            for path in write_icons(Path(args.out)):
                print(f"wrote {path}")
            return 0
        if args.command in ("package", "deploy", "certify"):
            return _publishing(args)
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
            args.screen, interactive, exact=args.exact, show_intent=args.show_intent)
    except KeyboardInterrupt:
        pass
    return 0


def _publishing(args) -> int:
    from .local import package

    root = Path.cwd()
    if not (root / package.TEMPLATE).exists():
        print(f"run from the repository root (no {package.TEMPLATE} here)", file=sys.stderr)
        return 2
    try:
        if args.command == "certify":
            from .local.certify import certify

            return certify(root, root / args.publish, turns=args.turns, seed=args.seed)
        opts = package.Options(root=root, publish=root / args.publish, out=root / args.out,
                               draft=args.draft, skill_id=args.skill_id,
                               ask_profile=args.ask_profile)
        if args.command == "deploy":
            return package.deploy_command(opts)
        opts.endpoint, opts.upload, opts.mode = args.endpoint, not args.no_upload, args.mode
        return package.package_command(opts)
    except package.PackageError as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return 1


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
