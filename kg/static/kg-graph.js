// The kg app's graph: a Streamlit Custom Component v2 module, served by Streamlit from this folder
// (declared in kg/pyproject.toml) so the page fetches vis-network once instead of receiving it inside
// every drawing message. It draws the component's data with kg-draw.js and reports a clicked concept.
import "./vis-network.min.js"; // vis-network's UMD build: run as a module, it defines globalThis.vis
import { kgDraw } from "./kg-draw.js";
const VIS = globalThis.vis;

export default function (component) {
  const { data, parentElement, setTriggerValue, setStateValue } = component;
  let root = parentElement.querySelector(".kg-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "kg-root";
    parentElement.appendChild(root);
  }
  if (!data || !data.nodes) { root.textContent = ""; root.__kgShown = null; return; }
  // A rerun that sends the same drawing keeps the one on screen (and the learner's zoom) instead of
  // drawing it again; `report_drawn` asks for one "drawn" state once it is on screen (the app's first
  // screen: the rest of the page follows in the rerun this causes).
  // `preview` names the still picture of this drawing (the app's first screen, kg/picture.py): the graph
  // is drawn out of sight and takes the picture's place once it is on screen.
  const { report_drawn: report, preview, ...drawing } = data;
  const picture = typeof preview === "string" && /^st-key-[A-Za-z0-9_-]{1,80}$/.test(preview) ? preview : null;
  const shown = JSON.stringify(drawing);
  if (root.__kgShown !== shown || !root.__kgNetwork) {
    root.__kgShown = null;
    if (root.__kgNetwork) { try { root.__kgNetwork.destroy(); } catch (err) { /* already gone */ } }
    if (picture) root.classList.add("kg-waiting");
    try {
      kgDraw(VIS, root, drawing, (id) => setTriggerValue("clicked", id));
    } catch (err) {
      if (report) setTimeout(() => setStateValue("drawn", true), 0); // the rest of the page comes all the same
      throw err;
    }
    root.__kgShown = shown;
  }
  const network = root.__kgNetwork;
  if (root.classList.contains("kg-waiting")) {
    const swap = () => {
      root.classList.remove("kg-waiting");
      const still = picture && document.querySelector("." + picture);
      if (still) still.style.display = "none";
    };
    if (root.querySelector(".kg-canvas").dataset.drawn === "1") swap(); else network.once("afterDrawing", swap);
  }
  if (report && !root.__kgReported) {
    root.__kgReported = true;
    const tell = () => setTimeout(() => setStateValue("drawn", true), 0);
    if (root.querySelector(".kg-canvas").dataset.drawn === "1") tell(); else network.once("afterDrawing", tell);
  }
  return () => { try { network.destroy(); } catch (err) { /* already gone */ } };
}
