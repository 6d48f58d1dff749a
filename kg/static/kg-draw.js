// kg's drawing of a set of concepts with vis-network, shared by the Streamlit component (kg-graph.js
// imports it) and the standalone page of `kg export --format html` (kg.render inlines it, without the
// `export` keyword). Pack text arrives only as data and reaches the screen through textContent or as
// canvas labels; colours are checked against #rrggbb; nothing here writes markup.
export function kgDraw(vis, root, data, onSelect) {
  root.textContent = "";
  const make = (tag, cls, text) => {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = String(text);
    return el;
  };
  const safeColour = (c) => (/^#[0-9a-f]{6}$/i.test(String(c)) ? String(c) : "#9ca3af");
  const notice = make("div", "kg-notice", data.notice || "");
  notice.hidden = !data.notice;
  const canvas = make("div", "kg-canvas");
  canvas.style.height = Math.max(200, Number(data.height) || 600) + "px";
  const legend = make("div", "kg-legend");
  const lg = data.legend || { kinds: [], edges: [] };
  if (lg.kinds.length) legend.append(make("b", "kg-legend-title", lg.kinds_title));
  for (const item of lg.kinds) {
    const key = make("span", "kg-key");
    const swatch = make("i", "kg-swatch");
    swatch.style.background = safeColour(item.color);
    swatch.style.borderColor = safeColour(item.border);
    key.append(swatch, document.createTextNode(String(item.label)));
    legend.append(key);
  }
  if (lg.edges.length) legend.append(make("b", "kg-legend-title", lg.edges_title));
  for (const item of lg.edges) {
    const key = make("span", "kg-key");
    const line = make("i", "kg-line");
    line.style.borderTopColor = safeColour(item.color);
    line.style.borderTopStyle = item.dashes ? "dashed" : "solid";
    key.append(line, document.createTextNode(String(item.label)));
    legend.append(key);
  }
  root.append(notice, canvas, legend);
  const words = data.words || {};
  const tools = make("div", "kg-tools");
  const full = make("button", "kg-fullscreen", words.fullscreen || "Full screen");
  full.type = "button";
  tools.append(full);
  root.insertBefore(tools, canvas);
  const tip = (text) => make("div", "kg-tip", text);
  // Labels: the focus, its neighbours, search hits and highlighted concepts are always labelled; the
  // rest show their label on hover or once zoomed in far enough to read it. A shown label never
  // falls below MIN_PX on screen: when zoomed out, its font grows instead (the node stays small).
  const MIN_PX = 12, READ_PX = 11;
  const info = new Map((data.nodes || []).map((n) => [String(n.id), n]));
  const baseFont = (n) => (n.focus ? 18 : 14);
  const fontFor = (n, scale, hovered) => {
    const shown = n.labelled || hovered || baseFont(n) * scale >= READ_PX * 1.15;
    return shown ? Math.max(baseFont(n), MIN_PX / Math.max(scale, 0.05)) : 0;
  };
  const labelFor = (n, size) => (size ? String(n.label) : "");
  const nodeStyle = (n) => ({
    id: String(n.id), label: labelFor(n, fontFor(n, 1, false)), title: tip(n.title),
    x: Number(n.x) || 0, y: Number(n.y) || 0, size: Number(n.size) || 14, shape: "dot",
    borderWidth: n.focus ? 4 : (n.hit ? 4 : 1.5),
    color: { background: safeColour(n.color), border: n.hit ? "#ea580c" : safeColour(n.border),
             highlight: { background: safeColour(n.color), border: "#111827" },
             hover: { background: safeColour(n.color), border: "#111827" } },
    font: { size: fontFor(n, 1, false) || baseFont(n), color: "#111827", strokeWidth: 3, strokeColor: "#ffffff",
            bold: { color: "#111827" } },
    kgGroup: n.group === undefined ? null : String(n.group),
  });
  const nodes = new vis.DataSet((data.nodes || []).map(nodeStyle));
  const edges = new vis.DataSet((data.edges || []).map((e) => ({
    id: String(e.id), from: String(e.from), to: String(e.to), title: tip(e.title),
    color: { color: safeColour(e.color), highlight: safeColour(e.color), hover: safeColour(e.color) },
    dashes: Array.isArray(e.dashes) ? e.dashes.map(Number) : false, width: Number(e.width) || 1.5,
    arrows: { to: { enabled: true, scaleFactor: 0.6 } },
  })));
  const options = {
    autoResize: true,
    physics: { enabled: !!data.physics, stabilization: { iterations: 200, fit: true },
               barnesHut: { springLength: 140, avoidOverlap: 0.2, centralGravity: 0.6 } },
    layout: { improvedLayout: false, randomSeed: 7 },
    interaction: { hover: true, tooltipDelay: 120, keyboard: false, navigationButtons: false, multiselect: false },
    edges: { smooth: false, selectionWidth: 1.5 },
    nodes: { shape: "dot" },
  };
  const network = new vis.Network(canvas, { nodes, edges }, options);
  canvas.dataset.nodes = String(nodes.length);
  const groups = Array.isArray(data.groups) ? data.groups : [];
  let hovered = null, pending = false, lastScale = -1;
  const relabel = (force) => {
    pending = false;
    const scale = network.getScale();
    if (!force && Math.abs(scale - lastScale) < 1e-3) return;
    lastScale = scale;
    const updates = [];
    for (const [id, n] of info) {
      const size = fontFor(n, scale, id === hovered);
      const current = nodes.get(id);
      if (!current) continue;
      const label = labelFor(n, size);
      if (current.label !== label || (size && current.font.size !== size)) {
        updates.push({ id, label, font: { size: size || baseFont(n) } });
      }
    }
    if (updates.length) nodes.update(updates);
    const groupFont = Math.max(16, MIN_PX / Math.max(scale, 0.05));
    for (const g of groups) {
      const id = "group:" + String(g.id);
      if (network.isCluster(id)) network.clustering.updateClusteredNode(id, { font: { size: groupFont } });
    }
  };
  const schedule = () => { if (!pending) { pending = true; requestAnimationFrame(() => relabel(false)); } };
  network.on("zoom", schedule);
  network.on("hoverNode", (p) => { hovered = String(p.node); relabel(true); });
  network.on("blurNode", () => { hovered = null; relabel(true); });
  // The overview: one labelled cluster per section; clicking a cluster opens it in place.
  const closeGroups = () => {
    for (const g of groups) {
      if (g.open) continue;
      network.cluster({
        joinCondition: (n) => n.kgGroup === String(g.id),
        clusterNodeProperties: {
          id: "group:" + String(g.id), label: String(g.label), shape: "box", borderWidth: g.hit ? 3 : 1,
          title: tip(String(g.title || g.label)),
          color: { background: g.hit ? "#ffedd5" : "#f9fafb", border: g.hit ? "#ea580c" : "#6b7280" },
          font: { size: 16, color: "#111827", multi: false }, margin: 10, kgCluster: true,
        },
      });
    }
  };
  if (groups.length) closeGroups();
  canvas.dataset.groups = String(groups.length);
  const settle = () => {
    network.fit({ animation: false });
    // fit() frames node centres only: zoom out a little so labels at the edge are not cut off
    network.moveTo({ position: network.getViewPosition(), scale: network.getScale() * 0.88 });
    relabel(true);
  };
  network.once("afterDrawing", () => { settle(); canvas.dataset.drawn = "1"; });
  // When the canvas changes size (the page filling in around it, a sidebar opening, a window resized)
  // vis-network rescales the view: the drawing is framed again unless the learner has moved it, and
  // the labels follow the new scale either way.
  let moved = false;
  network.on("dragStart", () => { moved = true; });
  network.on("zoom", () => { moved = true; });
  // (after vis-network has finished rescaling: it announces the new size before it moves the view)
  network.on("resize", () => queueMicrotask(() => { if (!moved && canvas.dataset.drawn === "1") settle(); else relabel(true); }));
  // vis-network looks at its size once a second; a new width is taken at once instead (never a
  // stretched or squeezed picture with labels too small in between).
  if (typeof ResizeObserver === "function") {
    const watch = new ResizeObserver(() => {
      if (!canvas.isConnected || !canvas.clientWidth) return; // gone (a new drawing, another tab) or hidden
      try { network.setSize("100%", "100%"); } catch (err) { watch.disconnect(); } // destroyed meanwhile
    });
    watch.observe(canvas);
  }
  if (data.physics) {
    // Physics settles once and stops, and the view is re-centred: nothing drifts afterwards.
    network.once("stabilizationIterationsDone", () => { network.setOptions({ physics: { enabled: false } }); settle(); });
  }
  full.addEventListener("click", () => {
    if (document.fullscreenElement) { document.exitFullscreen(); return; }
    if (root.requestFullscreen) root.requestFullscreen().catch(() => {});
  });
  document.addEventListener("fullscreenchange", () => {
    const on = document.fullscreenElement === root;
    full.textContent = on ? (words.exit_fullscreen || "Exit full screen") : (words.fullscreen || "Full screen");
    canvas.style.height = on ? "calc(100vh - 90px)" : Math.max(200, Number(data.height) || 600) + "px";
    setTimeout(settle, 50);
  });
  if (data.focus) { try { network.selectNodes([String(data.focus)]); } catch (err) { /* focus not drawn */ } }
  network.on("click", (params) => {
    if (!params.nodes || !params.nodes.length) return;
    const id = String(params.nodes[0]);
    if (network.isCluster(id)) {
      const inside = network.getNodesInCluster(id);
      network.openCluster(id);
      network.fit({ nodes: inside, animation: false });
      relabel(true);
      return;
    }
    onSelect(id);
  });
  network.kgRelabel = () => relabel(true);
  canvas.__kgNetwork = network;
  root.__kgNetwork = network;
  return network;
}
