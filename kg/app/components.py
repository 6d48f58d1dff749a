"""The page's two Custom Components (v2, in the page, no iframe): the graph view and the cookie writer."""
from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from kg import render
from kg.app.state import sync_url
from kg.schema import ID_PATTERN


@st.cache_resource(show_spinner=False)
def prefs_component():
    """Writes this browser's remembered choices (language, orientation seen) as cookies the next visit reads."""
    js = r"""
export default function (component) {
  const cookies = (component.data && component.data.cookies) || {};
  for (const [name, value] of Object.entries(cookies)) {
    if (!/^kg_[a-z_]{1,20}$/.test(name) || !/^[a-z0-9]{1,8}$/.test(String(value))) continue;
    document.cookie = name + "=" + String(value) + "; path=/; max-age=31536000; SameSite=Lax";
  }
}
"""
    return st.components.v2.component("kg_prefs", html="", js=js)


@st.cache_resource(show_spinner=False)
def graph_component():
    """The vis-network view as a Custom Component v2 (in the page, no iframe); clicks come back as a trigger.

    Its script is served from kg/static by URL (declared in kg/pyproject.toml), so no drawing message
    carries vis-network; where Streamlit cannot find that declaration (kg not installed), it travels inline."""
    try:
        return st.components.v2.component(render.COMPONENT_NAME, html=render.COMPONENT_HTML, css=render.DRAW_CSS,
                                          js=render.COMPONENT_MODULE)
    except StreamlitAPIException:
        return st.components.v2.component(render.COMPONENT_NAME, html=render.COMPONENT_HTML, css=render.DRAW_CSS,
                                          js=render.component_js())


def on_graph_click(key: str) -> None:
    value = (st.session_state.get(key) or {}).get("clicked")
    if isinstance(value, str) and ID_PATTERN.match(value):
        st.session_state.focus = value  # reconcile() checks it is in the pack


#: Session state: this run is the session's first in a browser, and stops once its first graph is sent.
FIRST_SCREEN = "_kg_first_screen"


def begin_run() -> None:
    """Called at the top of every run. A browser's first run of a session sends the page down to its first
    graph and stops there: everything after it (the details column, the sidebar) waits for the rerun the
    drawn graph asks for, because the browser renders a batch of elements at once and the graph would wait
    for all of them. Without a browser (AppTest, no request headers) every run is whole."""
    st.session_state[FIRST_SCREEN] = "_kg_started" not in st.session_state and bool(st.context.headers.get("User-Agent"))
    st.session_state["_kg_started"] = True


def draw(pack_key: str, name: str, data: dict) -> None:
    """Mount the graph component; a click on a node refocuses (callback, no page reload)."""
    key = f"graph_{name}"
    first = st.session_state.get(FIRST_SCREEN, False)
    graph_component()(key=key, data={**data, "report_drawn": True} if first else data,
                      on_clicked_change=lambda: on_graph_click(key), on_drawn_change=lambda: None, height="content")
    if first:
        st.session_state[FIRST_SCREEN] = False
        # What the end of the page does for the URL, done now: the next run must not take the URL it has
        # not written yet for a Back/Forward (and undo a choice made on the first screen).
        sync_url()
        st.stop()  # the rest of the page comes with the rerun the drawn graph asks for
