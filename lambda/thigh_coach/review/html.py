"""The pack as one self-contained HTML page (review.html): no scripts and no other files,
the drawings inline as SVG; it prints cleanly."""

from __future__ import annotations

import html
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


def html_line(spans: Line) -> str:
    out = []
    for span in spans:
        text = html.escape(span.text)
        tag = {"code": "code", "b": "strong", "del": "del", "ins": "ins"}.get(span.style)
        if tag:
            out.append(f"<{tag}>{text}</{tag}>")
        elif span.style == "a":
            out.append(f'<a href="{html.escape(span.url)}">{text}</a>')
        elif span.style == "id":
            out.append(f'<a id="{html.escape(span.url)}"></a>')
        elif span.style == "muted":
            out.append(f'<span class="muted">{text}</span>')
        else:
            out.append(text)
    return "".join(out)


def html_cell(value: Cell) -> str:
    return "<br>".join(html_line(x) for x in value)


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[str]], css: str = "") -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cls = f' class="{css}"' if css else ""
    return f"<table{cls}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 1400px; padding: 0 1em; color: #1b1b1b; }
h1 { font-size: 1.7em; } h2 { border-bottom: 2px solid #333; margin-top: 2.5em; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; font-size: 0.92em; }
th, td { border: 1px solid #999; padding: 0.35em 0.5em; vertical-align: top; text-align: left; }
th { background: #eee; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.95em;
       background: #f3f3f3; padding: 0 0.2em; }
del { color: #a00000; } ins { color: #006400; text-decoration: underline; }
.muted { color: #666; }
table.signoff td { height: 2.6em; }
div.drawings { display: flex; gap: 1em; } div.drawings figure { margin: 0; text-align: center; }
div.drawings svg { border: 1px solid #999; }
p.signoff { font-weight: bold; margin-bottom: 0; }
@media print { h2 { page-break-before: always; } tr { page-break-inside: avoid; }
               body { max-width: none; } }
"""


def render_html(blocks: Sequence[Block]) -> str:
    title = next((b.text for b in blocks if isinstance(b, Heading)), "Review pack")
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{html.escape(title)}</title>", f"<style>{STYLE}</style>", "</head>",
           "<body>"]
    for block in blocks:
        if isinstance(block, Picture):
            figures = "".join(f'<figure>{svg}<figcaption>{html.escape(label)}</figcaption></figure>'
                              for label, _, svg in block.drawings)
            out.append(f'<div class="drawings">{figures}</div>'
                       f'<p class="muted">{html.escape(block.caption)}</p>')
            continue
        if isinstance(block, Heading):
            out.append(f'<h{block.level} id="{block.anchor}">{html.escape(block.text)}'
                       f"</h{block.level}>")
        elif isinstance(block, Para):
            out += [f"<p>{html_line(x)}</p>" for x in block.lines]
        elif isinstance(block, Table):
            out.append(_html_table(block.headers, [[html_cell(c) for c in row]
                                                   for row in block.rows]))
        elif isinstance(block, Diagram):
            out.append(_html_table(block.table.headers,
                                   [[html_cell(c) for c in row] for row in block.table.rows]))
        elif isinstance(block, SignOff):
            out.append(f'<p class="signoff">Sign-off: {html.escape(block.section)}</p>')
            out.append(_html_table(sign_off_headers(),
                                   [[""] * len(sign_off_headers())] * SIGN_OFF_ROWS, "signoff"))
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
