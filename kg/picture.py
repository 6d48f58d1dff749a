"""A still picture (SVG) of a drawing: what the app shows while the interactive graph loads.

The app's first screen would otherwise wait for Streamlit's component code and vis-network (about half a
second on a 2-core machine) before anything of the graph is on screen. The picture is made here, on the
server, from the same data the drawing script receives (:func:`kg.render.graph_data`), framed the way
``kg-draw.js`` frames it (vis-network's ``fit()``: the extent of the nodes and their labels with a tenth
more room, zoom never above 1; then kg-draw.js zooms out to 88 %), so that the interactive graph replaces
it in place.

Pack text reaches the picture only as XML-escaped text inside an SVG that the page shows as an image
(``<img src="data:image/svg+xml;base64,...">``): an image never runs script or fetches anything, and the
colours are checked against ``#rrggbb`` as the drawing script checks them.

>>> data = {"nodes": [{"id": "a", "label": "A <b>", "x": 0, "y": 0, "color": "#ffffff", "border": "#000000",
...                    "size": 22, "focus": True, "labelled": True, "hit": False}],
...         "edges": [], "groups": [], "height": 300}
>>> svg = picture_svg(data)
>>> "A &lt;b&gt;" in svg and "<b>" not in svg
True
"""
from __future__ import annotations

import base64
import math
import re
import unicodedata
from html import escape

#: The smallest label on screen, in CSS pixels, and the drawing script's own font sizes (kg-draw.js).
MIN_PX = 12
BASE_FONT, FOCUS_FONT, GROUP_FONT = 14, 18, 16
#: vis-network's fit() leaves this much room around the drawing's extent; kg-draw.js then zooms out by ROOM.
FIT_MARGIN = 1.1
ROOM = 0.88
#: A label's width per character, in font sizes (Latin letters; CJK characters are a full em).
CHAR_EM, WIDE_EM = 0.55, 1.0
#: vis-network's margin inside a section's box, in drawing units.
BOX_MARGIN = 10
#: The bands above and below the canvas (kg-draw.js's tool button and legend), in CSS pixels.
TOOLS_PX, LEGEND_PX = 32, 30
#: Above this many nodes and clusters a picture is not worth its bytes: the interactive graph comes alone.
MAX_ITEMS = 1500

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_GREY = "#9ca3af"
#: Characters XML 1.0 does not allow (a pack's label may hold them): they would make the picture unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _colour(value) -> str:
    return str(value) if _COLOUR.match(str(value)) else _GREY


def _number(value, default: float = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def picture_svg(data: dict, *, width: int = 760) -> str | None:
    """An SVG picture of ``data`` as a canvas ``width`` CSS pixels wide shows it; None when too big.

    Parameters
    ----------
    data : dict
        A drawing from :func:`kg.render.graph_data` (nodes with positions, edges, groups, height).
    width : int
        The width the picture is expected to be shown at. It sets the zoom, and so the label size that
        keeps every shown label at least ``MIN_PX`` pixels high; a wider or narrower column scales the
        whole picture, as the interactive graph would.

    Returns
    -------
    str or None
        The SVG document, or None when the drawing has more than ``MAX_ITEMS`` nodes and clusters.
    """
    height = max(200, int(_number(data.get("height"), 600)))
    nodes = {str(n.get("id")): n for n in data.get("nodes") or []}
    closed = {str(g.get("id")): g for g in data.get("groups") or [] if not g.get("open")}
    # A closed section is one box at the middle of its members' extent, as vis-network places a cluster.
    members: dict[str, list[dict]] = {}
    for node in nodes.values():
        group = node.get("group")
        if group is not None and str(group) in closed:
            members.setdefault(str(group), []).append(node)
    boxes = {}
    for group_id, inside in members.items():
        xs = [_number(n.get("x")) for n in inside]
        ys = [_number(n.get("y")) for n in inside]
        boxes[group_id] = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, closed[group_id])
    where: dict[str, tuple[float, float]] = {}
    shown_nodes = []
    for node_id, node in nodes.items():
        group = node.get("group")
        if group is not None and str(group) in boxes:
            box = boxes[str(group)]
            where[node_id] = (box[0], box[1])
        else:
            where[node_id] = (_number(node.get("x")), _number(node.get("y")))
            shown_nodes.append(node)
    if len(shown_nodes) + len(boxes) > MAX_ITEMS:
        return None
    # The extent vis-network's fit() frames: each node with its label (drawn at the initial font size, below the
    # dot), each closed section's box.
    extent = []
    for node in shown_nodes:
        x, y = where[str(node.get("id"))]
        radius = max(_number(node.get("size"), 14), 1)
        base = FOCUS_FONT if node.get("focus") else BASE_FONT
        half = max(radius, _text_width(str(node.get("label", "")), base) / 2) if node.get("labelled") else radius
        extent.append((x - half, x + half, y - radius, y + radius + (base * 1.3 if node.get("labelled") else 0)))
    for x, y, group in boxes.values():
        box_w, box_h = _box_size(str(group.get("label", "")), GROUP_FONT)
        extent.append((x - box_w / 2, x + box_w / 2, y - box_h / 2, y + box_h / 2))
    if not extent:
        extent = [(0.0, 0.0, 0.0, 0.0)]
    min_x, max_x = min(e[0] for e in extent), max(e[1] for e in extent)
    min_y, max_y = min(e[2] for e in extent), max(e[3] for e in extent)
    span_x, span_y = max(max_x - min_x, 1e-6) * FIT_MARGIN, max(max_y - min_y, 1e-6) * FIT_MARGIN
    scale = min(width / span_x, height / span_y, 1.0) * ROOM
    view_w, view_h = width / scale, height / scale
    left = (min_x + max_x) / 2 - view_w / 2
    top = (min_y + max_y) / 2 - view_h / 2
    unit = 1 / scale  # one screen pixel in drawing units

    def font(base: float) -> float:  # rounded up, so the printed size never falls under MIN_PX on screen
        return math.ceil(max(base, MIN_PX * unit) * 1.001 * 10) / 10

    # The frame the interactive graph has: a band for its tool button, the bordered canvas, a band for the legend.
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{TOOLS_PX + height + LEGEND_PX}" '
             f'viewBox="0 0 {width} {TOOLS_PX + height + LEGEND_PX}">',
             f'<rect x="0.5" y="{TOOLS_PX + 0.5}" width="{width - 1}" height="{height - 1}" rx="8" fill="#ffffff" '
             'stroke="#e5e7eb"/>',
             f'<svg x="0" y="{TOOLS_PX}" width="{width}" height="{height}" viewBox="{left:.2f} {top:.2f} {view_w:.2f} '
             f'{view_h:.2f}" preserveAspectRatio="xMidYMid meet" '
             'font-family="Source Sans, Source Sans Pro, Noto Sans CJK SC, sans-serif">']
    # Edges first (under the nodes), one per pair of things on screen: edges inside a closed section vanish.
    drawn_pairs = set()
    for edge in data.get("edges") or []:
        source, target = str(edge.get("from")), str(edge.get("to"))
        if source not in where or target not in where:
            continue
        a, b = where[source], where[target]
        pair = (a, b)
        if a == b or pair in drawn_pairs:
            continue
        drawn_pairs.add(pair)
        target_node = nodes[target]
        into_box = target_node.get("group") is not None and str(target_node.get("group")) in boxes
        reach = 0.0 if into_box else _number(target_node.get("size"), 14) + 2
        length = math.hypot(b[0] - a[0], b[1] - a[1])
        colour = _colour(edge.get("color"))
        line_width = max(_number(edge.get("width"), 1.5), 0.5)
        end_x, end_y = b[0] - (b[0] - a[0]) * reach / length, b[1] - (b[1] - a[1]) * reach / length
        dashes = edge.get("dashes")
        dash = (f' stroke-dasharray="{",".join(str(_number(d, 4)) for d in dashes[:8])}"'
                if isinstance(dashes, list) and dashes else "")
        parts.append(f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{end_x:.1f}" y2="{end_y:.1f}" stroke="{colour}" '
                     f'stroke-width="{line_width}"{dash}/>')
        # the arrow head, as vis-network draws it (scale 0.6 of its default)
        head, half = 9 + 2 * line_width, 4 + line_width
        ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
        base_x, base_y = end_x - ux * head, end_y - uy * head
        parts.append(f'<polygon points="{end_x:.1f},{end_y:.1f} {base_x - uy * half:.1f},{base_y + ux * half:.1f} '
                     f'{base_x + uy * half:.1f},{base_y - ux * half:.1f}" fill="{colour}"/>')
    for node in shown_nodes:
        x, y = where[str(node.get("id"))]
        size = max(_number(node.get("size"), 14), 1)
        focus, hit = bool(node.get("focus")), bool(node.get("hit"))
        border = "#ea580c" if hit else _colour(node.get("border"))
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" fill="{_colour(node.get("color"))}" '
                     f'stroke="{border}" stroke-width="{4 if focus or hit else 1.5}"/>')
        if node.get("labelled"):
            size_px = font(FOCUS_FONT if focus else BASE_FONT)
            parts.append(_text(str(node.get("label", "")), x, y + size + size_px * 1.05, size_px))
    for x, y, group in boxes.values():
        text = str(group.get("label", ""))
        size_px = font(GROUP_FONT)
        box_w, box_h = _box_size(text, size_px)
        hit = bool(group.get("hit"))
        parts.append(f'<rect x="{x - box_w / 2:.1f}" y="{y - box_h / 2:.1f}" width="{box_w:.1f}" height="{box_h:.1f}" '
                     f'rx="{3 * unit:.1f}" fill="{"#ffedd5" if hit else "#f9fafb"}" '
                     f'stroke="{"#ea580c" if hit else "#6b7280"}" stroke-width="{(3 if hit else 1) * unit:.1f}"/>')
        parts.append(_text(text, x, y + size_px * 0.35, size_px, halo=False))
    parts.append("</svg></svg>")
    return "".join(parts)


def _text_width(text: str, size: float) -> float:
    """About how wide ``text`` is at ``size`` (no font metrics on the server: CJK a full em, the rest less)."""
    return size * sum(WIDE_EM if unicodedata.east_asian_width(c) in "WF" else CHAR_EM for c in text)


def _box_size(text: str, size: float) -> tuple[float, float]:
    """A section's box as vis-network draws it: its label with BOX_MARGIN on every side."""
    return _text_width(text, size) + 2 * BOX_MARGIN, size + 2 * BOX_MARGIN


def _text(text: str, x: float, y: float, size: float, *, halo: bool = True) -> str:
    """A label centred at ``x``; ``halo`` gives it the white outline the drawing script gives node labels."""
    outline = f' stroke="#ffffff" stroke-width="{size / 5:.1f}" paint-order="stroke"' if halo else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.1f}" text-anchor="middle" fill="#111827"{outline}>'
            f"{escape(_NOT_XML.sub('', text), quote=False)}</text>")


def picture_uri(svg: str) -> str:
    """The picture as a ``data:`` URI for an ``<img>``: base64, so no character of it can end the attribute."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
