"""The still picture of a drawing (kg.picture): what the app's first screen shows while the graph loads.

It must say the same thing as the interactive graph (the same nodes, edges, labels and sections, framed
the same way), keep every label it shows legible, and carry pack text only as escaped SVG text."""
from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

import pytest
from kg import picture, render
from kg.layout import neighbourhood

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def inner(root: ET.Element) -> ET.Element:
    """The nested <svg> that holds the drawing (the outer one is the frame with its bands)."""
    (drawing,) = root.findall(f"{SVG}svg")
    return drawing


def screen_scale(root: ET.Element) -> float:
    drawing = inner(root)
    _, _, view_w, view_h = map(float, drawing.get("viewBox").split())
    return min(float(drawing.get("width")) / view_w, float(drawing.get("height")) / view_h)


@pytest.fixture(scope="module")
def pack(shipped_pack):
    return shipped_pack


@pytest.fixture(scope="module")
def explore(pack):
    """The app's first drawing: the default focus's neighbourhood, as the Explore tab draws it."""
    focus = "cnn"
    nodes = neighbourhood(pack, focus, 1)
    return render.graph_data(pack, nodes, focus=focus, layout="radial", height=640)


def test_the_picture_has_the_drawings_nodes_edges_and_labels(explore):
    root = parse(picture.picture_svg(explore))
    drawing = inner(root)
    assert len(drawing.findall(f"{SVG}circle")) == len(explore["nodes"])
    assert len(drawing.findall(f"{SVG}line")) == len({(e["from"], e["to"]) for e in explore["edges"]})
    texts = [t.text for t in drawing.findall(f"{SVG}text")]
    assert sorted(texts) == sorted(n["label"] for n in explore["nodes"] if n["labelled"])


def test_every_label_is_at_least_twelve_pixels_on_screen_at_the_width_it_was_made_for(explore, pack):
    plan = render.graph_data(pack, list(pack.graph)[:300], layout="layered", labels="all", height=640)
    for data, width in ((explore, 780), (explore, 500), (plan, 1250)):
        root = parse(picture.picture_svg(data, width=width))
        scale = screen_scale(root)
        sizes = [float(t.get("font-size")) * scale for t in inner(root).findall(f"{SVG}text")]
        assert sizes and min(sizes) >= picture.MIN_PX - 0.01, (width, min(sizes))


def test_the_frame_is_the_one_kg_draw_gives_the_graph(explore):
    """vis-network's fit() frames the nodes with their labels (never zooming in past 1), and kg-draw.js then
    zooms out to 88 %: every dot and label is inside the picture, and the zoom is below that of the centres."""
    root = parse(picture.picture_svg(explore, width=780))
    xs = [n["x"] for n in explore["nodes"]]
    ys = [n["y"] for n in explore["nodes"]]
    centres_only = min(780 / (max(xs) - min(xs)), 640 / (max(ys) - min(ys)), 1.0) * picture.ROOM
    assert centres_only * 0.5 < screen_scale(root) < centres_only
    left, top, width, height = map(float, inner(root).get("viewBox").split())
    for circle in inner(root).iter(f"{SVG}circle"):
        x, y, r = (float(circle.get(k)) for k in ("cx", "cy", "r"))
        assert left <= x - r and x + r <= left + width and top <= y - r and y + r <= top + height
    _, _, outer_w, outer_h = map(float, root.get("viewBox").split())
    assert (outer_w, outer_h) == (780, picture.TOOLS_PX + 640 + picture.LEGEND_PX)


HOSTILE = '</text><script>alert(1)</script><image href="http://example.com/x.png"/>&amp;\x01\x1b\ud800"\''


def test_pack_text_is_only_escaped_text_and_colours_are_checked():
    data = {"nodes": [{"id": "a", "label": HOSTILE, "x": 0, "y": 0, "color": "red;stroke:url(http://x)",
                       "border": "#12345g", "size": "nope", "focus": True, "labelled": True},
                      {"id": "b", "label": "b", "x": 1e309, "y": float("nan"), "color": "#FFFFFF", "labelled": True}],
            "edges": [{"from": "a", "to": "b", "color": "javascript:x", "dashes": ["x", 3], "width": None},
                      {"from": "a", "to": "missing"}],
            "groups": [], "height": "tall"}
    svg = picture.picture_svg(data)
    root = parse(svg)  # well-formed XML: the control characters and the lone surrogate are gone
    assert not any(el.tag.endswith(("script", "image", "foreignObject")) for el in root.iter())
    (text, _) = [t.text for t in root.iter(f"{SVG}text")]
    assert text == '</text><script>alert(1)</script><image href="http://example.com/x.png"/>&amp;"\''
    colours = set(re.findall(r'(?:fill|stroke)="([^"]*)"', svg))
    assert colours <= {"#9ca3af", "#FFFFFF", "#ffffff", "#e5e7eb", "#111827", "#ea580c", "none"}, colours


def test_closed_sections_are_labelled_boxes_and_open_ones_show_their_concepts(pack):
    nodes = [n for n in pack.graph][:400]
    data = render.graph_data(pack, nodes, focus=nodes[0], layout="sections", grouped=True, height=640, cap=400)
    drawing = inner(parse(picture.picture_svg(data)))
    closed = [g for g in data["groups"] if not g["open"]]
    opened = {g["id"] for g in data["groups"] if g["open"]}
    assert closed and opened
    boxes = [t.text for t in drawing.findall(f"{SVG}text") if t.text in {g["label"] for g in closed}]
    assert sorted(boxes) == sorted(g["label"] for g in closed)
    assert len(drawing.findall(f"{SVG}rect")) == len(closed)
    assert len(drawing.findall(f"{SVG}circle")) == sum(1 for n in data["nodes"] if n["group"] in opened)


def test_an_empty_or_one_node_drawing_has_a_picture_and_a_huge_one_has_none():
    empty = picture.picture_svg({"nodes": [], "edges": [], "groups": [], "height": 400})
    assert parse(empty).get("height") == str(picture.TOOLS_PX + 400 + picture.LEGEND_PX)
    one = picture.picture_svg({"nodes": [{"id": "a", "label": "A", "x": 5, "y": 5, "labelled": True}], "edges": []})
    assert [t.text for t in parse(one).iter(f"{SVG}text")] == ["A"]
    many = {"nodes": [{"id": str(i), "label": str(i), "x": i, "y": 0} for i in range(picture.MAX_ITEMS + 1)], "edges": []}
    assert picture.picture_svg(many) is None


def test_the_uri_is_base64_of_the_svg():
    svg = picture.picture_svg({"nodes": [{"id": "a", "label": "注意力 & <x>", "x": 0, "y": 0, "labelled": True}], "edges": []})
    uri = picture.picture_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode("utf-8") == svg
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", uri.split(",", 1)[1])  # nothing that could end a Markdown link or attribute
