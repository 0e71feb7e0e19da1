"""The pack as a small document model (headings, paragraphs, tables, diagrams, pictures and
sign-off tables of styled text), so one pack renders as Markdown and as HTML alike."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

SIGN_OFF_ROWS = 3

# --- a small document model, rendered twice ------------------------------------------------
# One list of blocks becomes both the Markdown and the HTML, so the two cannot drift apart.


class Span(NamedTuple):
    text: str
    style: str = ""  # "", "code", "b", "del", "ins", "muted", "a" (a link to `url`),
    # "id" (a place links can point to, named by `url`)
    url: str = ""


Line = tuple[Span, ...]
Cell = tuple[Line, ...]
Inline = str | Span | Line


def line(*parts: Inline) -> Line:
    out: list[Span] = []
    for part in parts:
        if isinstance(part, str):
            out.append(Span(part))
        elif isinstance(part, Span):
            out.append(part)
        else:
            out.extend(part)
    return tuple(out)


def cell(*lines: Inline) -> Cell:
    return tuple(line(x) for x in lines)


def code(text: str) -> Span:
    return Span(text, "code")


def bold(text: str) -> Span:
    return Span(text, "b")


def muted(text: str) -> Span:
    return Span(text, "muted")


def joined(parts: Iterable[Inline], sep: str = ", ") -> Line:
    out: list[Inline] = []
    for i, part in enumerate(parts):
        if i:
            out.append(sep)
        out.append(part)
    return line(*out)


class Heading(NamedTuple):
    level: int
    text: str
    anchor: str


class Para(NamedTuple):
    lines: Cell


class Table(NamedTuple):
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


class Diagram(NamedTuple):
    """Mermaid in the Markdown; the same edges as a table in the HTML (no script needed)."""

    mermaid: str
    table: Table


class SignOff(NamedTuple):
    section: str


class Picture(NamedTuple):
    """Drawings as the user's screen shows them: PNG files beside the Markdown, the same
    drawings inline as SVG in the HTML (which stays one self-contained file)."""

    caption: str
    drawings: tuple[tuple[str, str, str], ...]  # (label, PNG path from the pack, SVG)


Block = Heading | Para | Table | Diagram | SignOff | Picture


def anchor(*parts: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")



def sign_off_headers() -> tuple[str, ...]:
    return ("Reviewer name", "Role", "Date", "Signature", "Comments")
