"""The pack as Markdown (review.md): tables, a Mermaid flow diagram, the drawings as PNG
files beside it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .blocks import (
    SIGN_OFF_ROWS,
    Block,
    Cell,
    Diagram,
    Heading,
    Line,
    Para,
    Picture,
    SignOff,
    Table,
    sign_off_headers,
)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;").replace(">", "&gt;")


def md_line(spans: Line) -> str:
    out = []
    for span in spans:
        if span.style == "id":
            out.append(f'<a id="{span.url}"></a>')
            continue
        if not span.text:
            continue
        if span.style == "code":
            fence = "``" if "`" in span.text else "`"
            out.append(f"{fence}{span.text.replace('|', '&#124;')}{fence}")
        elif span.style == "b":
            out.append(f"**{md_text(span.text).strip()}**" + (" " if span.text.endswith(" ")
                                                               else ""))
        elif span.style == "del":
            out.append(f"~~{md_text(span.text)}~~")
        elif span.style == "ins":
            out.append(f"<ins>{md_text(span.text)}</ins>")
        elif span.style == "a":
            out.append(f"[{md_text(span.text)}]({span.url})")
        elif span.style == "muted":
            out.append(f"*{md_text(span.text).strip()}*" + (" " if span.text.endswith(" ")
                                                            else ""))
        else:
            out.append(md_text(span.text))
    return "".join(out)


def md_cell(value: Cell) -> str:
    return "<br>".join(md_line(x) for x in value) or " "




def render_markdown(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Picture):
            out.append(" ".join(f"![{md_text(label)}]({path})" for label, path, _ in block.drawings)
                       + f"\n\n*{md_text(block.caption)}*")
            continue
        if isinstance(block, Heading):
            out.append(f'<a id="{block.anchor}"></a>\n\n{"#" * block.level} {block.text}')
        elif isinstance(block, Para):
            out.append("\n\n".join(md_line(x) for x in block.lines))
        elif isinstance(block, Table):
            out.append(_md_table(block.headers, [[md_cell(c) for c in row]
                                                 for row in block.rows]))
        elif isinstance(block, Diagram):
            out.append(f"```mermaid\n{block.mermaid}\n```")
        elif isinstance(block, SignOff):
            out.append(f"**Sign-off: {md_text(block.section)}**\n\n"
                       + _md_table(sign_off_headers(),
                                   [[" "] * len(sign_off_headers())] * SIGN_OFF_ROWS))
    return "\n\n".join(out) + "\n"


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(md_text(h) for h in headers) + " |",
             "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
