"""The page around the tabs: its style, the first-open orientation and the tabs themselves."""
from __future__ import annotations

import json

import streamlit as st

from kg.app.components import first_screen
from kg.app.state import TABS, dismiss_orientation, w


def page_css() -> str:
    """The page's own style: Streamlit's uploader words ("Upload", "10MB per file") cannot be translated, so they
    are hidden and the button says ours; long widget labels wrap instead of being cut ("Physics (slo…")."""
    word = json.dumps(w("upload_button"), ensure_ascii=False)  # our own word: a JSON string is a valid CSS string
    return ("<style>"
            '[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }'
            '[data-testid="stFileUploaderDropzone"] button > * { display: none; }'
            f'[data-testid="stFileUploaderDropzone"] button::after {{ content: {word}; font-size: 14px; }}'
            '[data-testid="stWidgetLabel"] p { white-space: normal; overflow: visible; text-overflow: clip; }'
            "</style>")


def tabs_ui() -> list:
    """The tabs; only the open one is computed. The open tab is part of the URL."""
    labels = [w(f"tab_{t}") for t in TABS]
    # The tabs' value is a label, in the language of the run that drew them: the open tab is kept as its
    # name in ``tab`` and its label is set from it on every run (the URL or a button may have changed it).
    st.session_state.tab_label = labels[TABS.index(st.session_state.tab)]

    def changed():
        st.session_state.tab = TABS[labels.index(st.session_state.tab_label)]

    return st.tabs(labels, key="tab_label", on_change=changed)


def orientation_ui() -> None:
    """The first-open orientation: what the map is and how to start; dismissed once, remembered by the browser."""
    if st.session_state.oriented:
        return
    with st.container(border=True, key="orientation"):
        st.markdown(w("orient_title"))
        st.markdown(w("orient_body"))
        if not first_screen():  # the button's code is fetched with the rest of the page, not before the graph
            st.button(w("orient_ok"), key="orient-ok", on_click=dismiss_orientation, type="primary")
