"""Line figures of the exercises, as Alexa Vector Graphics (AVG) for devices with a screen.

Every figure is one body seen from the side, facing right, with the leg that works nearest
(`near_`): the same segment lengths in every drawing, so the figures share one style. A pose
(content/routines.yaml, each exercise's `drawing`) gives the hip's place and each segment's
angle in degrees: the torso from straight up, legs and arms from straight down, positive
towards the way the figure faces. The other side is the same figure mirrored, never redrawn.
The muscle that stretches, or the part that moves, is marked in the accent colour. Ink and
accent are parameters, so the document picks colours for a dark or a light screen.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

AVG_VERSION = "1.2"  # the AVG of APL 2023.2, the document's version
BOX = 100  # the viewport: x right, y down
FLOOR_Y = 92.0
# segment lengths, in viewport units
TORSO, NECK, HEAD_R = 25.0, 7.0, 5.5
THIGH, SHIN, FOOT = 19.0, 18.0, 6.0
UPPER_ARM, FOREARM = 12.0, 11.0
STROKE, MARK_STROKE, PROP_STROKE = 3.0, 5.0, 2.0
PROPS = ("floor", "chair", "step", "towel")
MARKS = ("thigh", "buttock", "leg")  # the back of the near thigh; the near buttock; thigh and shin
PARTS = ("hip", "torso", "head", "near_thigh", "near_shin", "near_foot", "far_thigh",
         "far_shin", "far_foot", "arm", "forearm")
INK, ACCENT = "#FFFFFF", "#F59E0B"  # the defaults: a dark screen


class Pose(NamedTuple):
    hip: tuple[float, float]
    torso: float
    near_thigh: float
    near_shin: float
    far_thigh: float
    far_shin: float
    arm: float
    forearm: float
    head: float = 0.0  # the head's tilt from the torso's line (looking up: negative)
    near_foot: float | None = None  # from straight down; unset: at right angles to the shin
    far_foot: float | None = None
    # a shin seen end-on looks shorter (an ankle crossed over the other knee): its share
    near_shin_seen: float = 1.0


class Drawing(NamedTuple):
    start: Pose
    end: Pose
    mark: str  # one of MARKS
    props: tuple[str, ...]  # from PROPS
    chair_x: float = 0.0  # where the chair's seat starts (its back is on this side)
    step_x: float = 0.0  # where the step's front edge is


Point = tuple[float, float]


def _down(at: Point, degrees: float, length: float) -> Point:
    """The end of a segment hanging from `at`, `degrees` from straight down (forward +)."""
    a = math.radians(degrees)
    return at[0] + length * math.sin(a), at[1] + length * math.cos(a)


def _up(at: Point, degrees: float, length: float) -> Point:
    a = math.radians(degrees)
    return at[0] + length * math.sin(a), at[1] - length * math.cos(a)


def joints(pose: Pose) -> dict[str, Point]:
    hip = pose.hip
    neck = _up(hip, pose.torso, TORSO)
    out = {"hip": hip, "neck": neck, "head": _up(neck, pose.torso + pose.head, NECK + HEAD_R)}
    shoulder = _down(neck, pose.torso + 180, 2.0)  # a little below the neck, on the torso
    out["shoulder"] = shoulder
    out["elbow"] = _down(shoulder, pose.arm, UPPER_ARM)
    out["hand"] = _down(out["elbow"], pose.forearm, FOREARM)
    for leg in ("near", "far"):
        thigh, shin = getattr(pose, f"{leg}_thigh"), getattr(pose, f"{leg}_shin")
        foot = getattr(pose, f"{leg}_foot")
        knee = _down(hip, thigh, THIGH)
        ankle = _down(knee, shin, SHIN * (pose.near_shin_seen if leg == "near" else 1.0))
        out[f"{leg}_knee"], out[f"{leg}_ankle"] = knee, ankle
        out[f"{leg}_toe"] = _down(ankle, shin + 90 if foot is None else foot, FOOT)
    return out


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _line(*points: Point) -> str:
    return "M" + "L".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _circle(center: Point, r: float) -> str:
    x, y = center
    return (f"M{_n(x - r)},{_n(y)}a{_n(r)},{_n(r)} 0 1,0 {_n(2 * r)},0"
            f"a{_n(r)},{_n(r)} 0 1,0 {_n(-2 * r)},0")


def _path(data: str, color: str, width: float, opacity: float = 1.0) -> dict[str, Any]:
    path: dict[str, Any] = {"type": "path", "pathData": data, "stroke": color,
                            "strokeWidth": width, "strokeLineCap": "round",
                            "strokeLineJoin": "round"}
    if opacity < 1:
        path["strokeOpacity"] = opacity
    return path


def _props(drawing: Drawing, j: dict[str, Point]) -> str:
    parts = []
    if "floor" in drawing.props:
        parts.append(_line((4, FLOOR_Y + 2), (BOX - 4, FLOOR_Y + 2)))
    if "chair" in drawing.props:
        x, seat = drawing.chair_x, j["hip"][1] + 3  # the seat just under the sitting hip
        parts.append(_line((x, seat - 30), (x, FLOOR_Y + 2)))  # back and back leg
        parts.append(_line((x, seat), (x + 22, seat), (x + 22, FLOOR_Y + 2)))
    if "step" in drawing.props:
        x = drawing.step_x
        parts.append(_line((x, FLOOR_Y + 2), (x, FLOOR_Y - 12), (x + 18, FLOOR_Y - 12),
                           (x + 18, FLOOR_Y + 2)))
    if "towel" in drawing.props:
        hand, toe = j["hand"], j["near_toe"]
        parts.append(_line(hand, toe))
    return "".join(parts)


def _mark(drawing: Drawing, j: dict[str, Point]) -> str:
    if drawing.mark == "thigh":
        return _line(j["hip"], j["near_knee"])
    if drawing.mark == "leg":
        return _line(j["hip"], j["near_knee"], j["near_ankle"])
    # the buttock: a short stroke behind the hip, across the top of the thigh
    hx, hy = j["hip"]
    kx, ky = j["near_knee"]
    length = math.hypot(kx - hx, ky - hy) or 1.0
    ux, uy = (kx - hx) / length, (ky - hy) / length  # along the thigh
    return _line((hx - uy * 2.5, hy + ux * 2.5), (hx + ux * 6 - uy * 2.5, hy + uy * 6 + ux * 2.5))


def avg(drawing: Drawing, position: str, *, mirrored: bool = False) -> dict[str, Any]:
    """One drawing as an AVG graphic: `position` "start" or "end"; `mirrored` for the other
    side. Colours come from the parameters `ink` and `accent`."""
    pose = drawing.start if position == "start" else drawing.end
    j = joints(pose)
    far = _line(j["hip"], j["far_knee"], j["far_ankle"], j["far_toe"])
    body = (_line(j["near_toe"], j["near_ankle"], j["near_knee"], j["hip"], j["neck"])
            + _line(j["shoulder"], j["elbow"], j["hand"]) + _circle(j["head"], HEAD_R))
    items = []
    props = _props(drawing, j)
    if props:
        items.append(_path(props, "${ink}", PROP_STROKE, 0.45))
    items += [_path(far, "${ink}", STROKE, 0.55), _path(body, "${ink}", STROKE),
              _path(_mark(drawing, j), "${accent}", MARK_STROKE)]
    group: dict[str, Any] = {"type": "group", "items": items}
    if mirrored:
        group.update(scaleX=-1, pivotX=BOX / 2)
    return {"type": "AVG", "version": AVG_VERSION, "width": BOX, "height": BOX,
            "viewportWidth": BOX, "viewportHeight": BOX,
            "parameters": [{"name": "ink", "type": "color", "default": INK},
                           {"name": "accent", "type": "color", "default": ACCENT}],
            "items": [group]}


def to_svg(graphic: dict[str, Any], *, ink: str, accent: str, background: str,
           size: int = 400) -> str:
    """An AVG graphic as SVG, to look at (the review pack): the subset `avg` writes."""
    colors = {"${ink}": ink, "${accent}": accent}

    def item(node: dict[str, Any]) -> str:
        if node["type"] == "group":
            inner = "".join(item(child) for child in node.get("items", []))
            if node.get("scaleX", 1) == -1:
                pivot = node.get("pivotX", 0)
                return f'<g transform="translate({_n(2 * pivot)},0) scale(-1,1)">{inner}</g>'
            return f"<g>{inner}</g>"
        opacity = node.get("strokeOpacity", 1)
        return (f'<path d="{node["pathData"]}" fill="none" '
                f'stroke="{colors.get(node["stroke"], node["stroke"])}" '
                f'stroke-width="{_n(node["strokeWidth"])}" '
                f'stroke-linecap="{node.get("strokeLineCap", "butt")}" '
                f'stroke-linejoin="{node.get("strokeLineJoin", "miter")}" '
                f'stroke-opacity="{_n(opacity)}"/>')

    w, h = graphic["viewportWidth"], graphic["viewportHeight"]
    body = "".join(item(node) for node in graphic["items"])
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
            f'viewBox="0 0 {_n(w)} {_n(h)}"><rect width="100%" height="100%" '
            f'fill="{background}"/>{body}</svg>')
