// The kg app's graph: a Streamlit Custom Component v2 module, served by Streamlit from this folder
// (declared in kg/pyproject.toml) so the page fetches vis-network once instead of receiving it inside
// every drawing message. It draws the component's data with kg-draw.js and reports a clicked concept.
import "./vis-network.min.js"; // vis-network's UMD build: run as a module, it defines globalThis.vis
import { kgDraw } from "./kg-draw.js";
const VIS = globalThis.vis;

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(".kg-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "kg-root";
    parentElement.appendChild(root);
  }
  if (!data || !data.nodes) { root.textContent = ""; return; }
  const network = kgDraw(VIS, root, data, (id) => setTriggerValue("clicked", id));
  return () => { try { network.destroy(); } catch (err) { /* already gone */ } };
}
