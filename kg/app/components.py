"""The page's two Custom Components (v2, in the page, no iframe): the graph view and the cookie writer."""
from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from kg import render
from kg.app.state import sync_url, w
from kg.picture import picture_svg, picture_uri
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


#: The preview's container key (``st-key-...`` is the class Streamlit gives a keyed container): the drawing
#: script hides it once the interactive graph is on screen.
PREVIEW_KEY = "kg_preview_{name}"


def first_screen() -> bool:
    """This run is a browser's first of the session: it sends the page down to its first graph and stops."""
    return bool(st.session_state.get(FIRST_SCREEN, False))


def begin_run() -> None:
    """Called at the top of every run. A browser's first run of a session sends the page down to its first
    graph and stops there: everything after it (the details column, the sidebar) waits for the rerun the
    drawn graph asks for, because the browser renders a batch of elements at once and the graph would wait
    for all of them. Without a browser (AppTest, no request headers) every run is whole."""
    st.session_state[FIRST_SCREEN] = "_kg_started" not in st.session_state and bool(st.context.headers.get("User-Agent"))
    st.session_state["_kg_started"] = True


def draw(pack_key: str, name: str, data: dict, *, width: int = 760) -> None:
    """Mount the graph component; a click on a node refocuses (callback, no page reload).

    On the first screen a still picture of the drawing (``kg.picture``) comes first: it is on screen as
    soon as the page's own text is, while the component's code and vis-network load; the drawing script
    draws the interactive graph out of sight and swaps it in for the picture. Later runs put an empty
    placeholder there (it takes no room), so the component keeps its place and is not drawn again.
    ``width`` is the width the graph is expected to have on screen (the picture's zoom and label size)."""
    key = f"graph_{name}"
    first = first_screen()
    picture = picture_svg(data, width=width) if first else None
    payload = data
    if picture:
        # A Markdown image: Markdown is in Streamlit's first bundle (no component or HTML code to fetch); an
        # image shows nothing of the pack as markup, and the alt text is our own word.
        with st.container(key=PREVIEW_KEY.format(name=name)):
            st.markdown(f"![{w('preview_alt')}]({picture_uri(picture)})")
        payload = {**data, "preview": "st-key-" + PREVIEW_KEY.format(name=name)}
    else:
        st.empty()
    if first:
        payload = {**payload, "report_drawn": True}
    graph_component()(key=key, data=payload, on_clicked_change=lambda: on_graph_click(key),
                      on_drawn_change=lambda: None, height="content")
    if first:
        st.session_state[FIRST_SCREEN] = False
        # What the end of the page does for the URL, done now: the next run must not take the URL it has
        # not written yet for a Back/Forward (and undo a choice made on the first screen).
        sync_url()
        st.stop()  # the rest of the page comes with the rerun the drawn graph asks for
