"""kg explorer: a bilingual (English / 中文) Streamlit view of a concept pack.

Run: ``streamlit run app.py`` (the shipped graph), ``streamlit run app.py -- --graph PATH``,
or ``KG_GRAPH=PATH streamlit run app.py``; another pack can also be uploaded in the sidebar.

This file is the page, top to bottom: open the pack, settle the session's view, draw the open tab,
then the sidebar, then save progress and write the view into the URL. The views are in ``kg.app``
(one module per tab, ``kg.app.data`` for the cached loading and derived data, ``kg.app.state`` for
session state and the URL). All answers come from the ``kg`` library; the app only lays them out.
Pack text is shown as escaped Markdown, table cells or component data, never as HTML, and the graph
is drawn by ``kg.render``'s Custom Component v2; until it has drawn the first one, the first screen shows
a still picture of it (``kg.picture``: an SVG image, its text escaped).
"""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

from kg.app import checks, compare, connect, explore, plan, quiz, today
from kg.app.components import begin_run
from kg.app.data import MAX_UPLOAD_BYTES, open_pack
from kg.app.page import orientation_ui, page_css, tabs_ui
from kg.app.profile import ensure_profile, save_profile
from kg.app.sidebar import sidebar_ui
from kg.app.state import TABS, init_state, md, reconcile, sync_url, w
from kg.errors import KgError
from kg.pack import default_pack_path, pack_path_from_args

st.set_page_config(page_title="kg · deep-learning concepts", page_icon="🧭", layout="wide")

# The pack: an upload, else --graph PATH or $KG_GRAPH, else the shipped graph (each cached).
source_path = pack_path_from_args(sys.argv[1:])
upload = st.session_state.get("upload")
opened = open_pack(source_path or str(default_pack_path()), upload)
pack, pack_key = opened.pack, opened.key

# The session's view: from the URL on its first run, kept valid for the pack, the learner's profile loaded.
begin_run()  # a browser's first run stops after its first graph (kg.app.components.draw)
init_state(pack)
st.set_page_config(page_title=w("title"))  # the browser tab's title, in the session's language
if pack is not None:
    reconcile(pack, pack_key)
    ensure_profile(pack)
upload_error = opened.error if opened.upload_name is not None and pack is None else ""
if opened.too_large:
    upload_error = w("too_large", mb=MAX_UPLOAD_BYTES // (1024 * 1024))
# what the sidebar calls the pack: the upload's or the folder's name, never a local path
source = opened.upload_name or (Path(source_path).name if source_path else w("shipped_pack"))

st.title(w("title"), anchor=False)
if opened.upload_name is not None and pack is not None:
    st.caption(w("using_upload", name=md(opened.upload_name)))
orientation_ui()

# The tabs: only the open one is computed.
usable = pack is not None and pack.graph.number_of_nodes() > 0
views = {"explore": explore.explore_ui, "plan": plan.plan_ui, "today": today.today_ui, "connect": connect.connect_ui,
         "compare": compare.compare_ui, "quiz": quiz.quiz_ui}
for name, tab in zip(TABS, tabs_ui()):
    if not tab.open:
        continue
    with tab:
        if name == "checks":
            checks.checks_ui(pack, opened.error)
        elif usable:
            try:
                views[name](pack, pack_key)
            except KgError as err:
                st.error(md(err))
            except Exception as err:  # noqa: BLE001 - the app's one guard: a bug is one line, never a traceback with server paths
                st.error(md(f"{w('internal_error')} ({type(err).__name__})"))
        else:
            st.warning(w("no_focus"))

# The sidebar is built last so the open view (and its graph) reaches the browser first; its widgets'
# values are in session state before the script runs, so nothing above needs it to have run.
sidebar_ui(pack, pack_key, source, upload_error)
st.html(page_css())  # styles only what the first screen does not have (widget labels, the uploader)
if pack is not None:
    save_profile(pack)
sync_url()
