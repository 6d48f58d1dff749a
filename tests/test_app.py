"""The Streamlit app through streamlit.testing.v1.AppTest: every tab, search, plan, language, URL, uploads."""
from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from kgtest import ROOT, SMALL, hostile_yaml
from streamlit.testing.v1 import AppTest

from kg.markup import markdown_literal as md  # what the app shows for pack text
from kg import load_pack, synth
from kg.export import EXPORTERS, select_nodes
from kg.export.markdown import to_markdown
from kg.queries import study_order
from kg.quiz import load_review, make_quiz
from kg.schema import KINDS

APP = str(ROOT / "app.py")


def make_app(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


@pytest.fixture()
def downloads(monkeypatch):
    """Deferred downloads (data made only when clicked), captured as {file name: (mime type, data callable)}."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    found: dict = {}
    original = MediaFileManager.add_deferred

    def record(self, data, mimetype, coordinates, *args, **kwargs):
        found[kwargs.get("file_name")] = (mimetype, data)
        return original(self, data, mimetype, coordinates, *args, **kwargs)

    static = MediaFileManager.add

    def record_static(self, data, mimetype, coordinates, *args, **kwargs):  # small files sent with the page
        if kwargs.get("is_for_static_download"):
            found[kwargs.get("file_name")] = (mimetype, lambda: data)
        return static(self, data, mimetype, coordinates, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    monkeypatch.setattr(MediaFileManager, "add", record_static)
    return found


def graph_payload(at: AppTest, index: int = 0) -> dict:
    components = at.get("bidi_component")
    assert components, "no graph component on the page"
    return json.loads(components[index].proto.json)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader])


def test_opens_on_the_shipped_graph_and_every_tab_runs(monkeypatch):
    monkeypatch.delenv("KG_GRAPH", raising=False)
    for tab in ("explore", "plan", "connect", "compare", "quiz", "checks"):
        at = ok(make_app(tab=tab).run())
        assert at.session_state.tab == tab
        assert at.query_params["tab"] == tab
    shipped = load_pack()
    at = ok(make_app().run())
    assert at.session_state.focus in shipped.graph
    assert graph_payload(at)["focus"] == at.session_state.focus


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_details_link_the_dive_into_deep_learning_pages_in_both_editions(monkeypatch, lang):
    monkeypatch.delenv("KG_GRAPH", raising=False)
    at = ok(make_app(focus="resnet", lang=lang).run())
    page = "chapter_convolutional-modern/resnet.html"
    assert page in load_pack().graph.nodes["resnet"]["d2l"]
    shown = texts(at)
    english, chinese = f"(https://d2l.ai/{page})", f"(https://zh.d2l.ai/{page})"
    assert english in shown and chinese in shown
    first, second = (chinese, english) if lang == "zh" else (english, chinese)
    assert shown.index(first) < shown.index(second), "the interface language's edition comes first"


@pytest.mark.parametrize("tab", ["explore", "plan", "connect", "compare", "quiz", "checks"])
def test_every_tab_on_a_small_pack(small_dir, tab):
    at = ok(make_app(tab=tab, focus="relu", plan="attention").run())
    body = texts(at)
    if tab == "explore":
        data = graph_payload(at)
        assert {n["id"] for n in data["nodes"]} == {"relu", "neural-network", "vanishing-gradient", "leaky-relu"}
        assert at.subheader[0].value == "ReLU"
    elif tab == "plan":
        assert [c.label.split(". ", 1)[0] for c in at.checkbox][:1] == ["1\\"]
    elif tab == "connect":
        assert "Connection 1" in body
        assert graph_payload(at)["edges"]
    elif tab == "compare":
        assert "Pick two or three concepts" in at.info[0].value
    elif tab == "quiz":
        assert at.session_state.tab == "quiz" and at.query_params["tab"] == "quiz"
        assert at.button(key="quiz-check") is not None and "Review (0)" in body
    else:
        assert [s.value for s in at.success] == ["No problems: the pack is clean."]


def test_search_is_typo_tolerant_and_focuses(small_dir):
    at = ok(make_app(focus="calculus").run())
    at.text_input(key="query").input("backpropogation").run()
    hit = at.button(key="hit-backpropagation")
    ok(hit.click().run())
    assert at.session_state.focus == "backpropagation"
    assert at.query_params["focus"] == "backpropagation"
    assert at.subheader[0].value == "Backpropagation"
    assert graph_payload(at)["focus"] == "backpropagation"
    at.text_input(key="query").input("梯度消失").run()
    ok(at.button(key="hit-vanishing-gradient").click().run())
    assert at.session_state.focus == "vanishing-gradient"


def test_details_panel_relations_refocus_and_questions(small_dir):
    at = ok(make_app(focus="gradient-descent").run())
    body = texts(at)
    assert "梯度下降" in body and "Step against the gradient to lower the loss\\." in body
    assert [e.label for e in at.expander if "learning rate" in e.label] == ["Why does the learning rate matter?"]
    assert "[An overview of gradient descent optimization algorithms](https://arxiv.org/abs/1609.04747)" in body.replace("\\", "")
    ok(at.button(key="rel-requires-out-calculus").click().run())
    assert at.session_state.focus == "calculus"
    assert at.subheader[0].value == "Calculus"


def test_depth_and_filters_change_the_drawing(small_dir):
    at = ok(make_app(focus="relu", depth="2").run())
    assert len(graph_payload(at)["nodes"]) == 6
    at.slider(key="depth").set_value(1).run()
    assert len(graph_payload(ok(at))["nodes"]) == 4 and at.query_params["depth"] == "1"
    at.multiselect(key="filter_types").set_value(["solves"]).run()
    assert {n["id"] for n in graph_payload(ok(at))["nodes"]} == {"relu", "vanishing-gradient"}
    at.toggle(key="whole").set_value(True).run()
    data = graph_payload(ok(at))
    assert len(data["nodes"]) == 8 and [e["type"] for e in data["edges"]] == ["solves"]
    at.toggle(key="physics").set_value(True).run()
    assert graph_payload(ok(at))["physics"] is True


def test_plan_lists_steps_in_study_order_and_ticking_shrinks_it(small_dir, downloads):
    expected = [s.id for s in study_order(load_pack(small_dir), ["attention"]).steps]
    at = ok(make_app(tab="plan", plan="attention").run())
    names = {n: load_pack(small_dir).graph.nodes[n]["name"] for n in expected}
    labels = [c.label for c in at.checkbox]
    assert len(labels) == len(expected)
    for index, (node, text) in enumerate(zip(expected, labels), 1):
        assert text.startswith(f"{index}\\. {names[node]} · "), (index, text)
    assert "target" in labels[-1]
    assert {n["id"] for n in graph_payload(at)["nodes"]} == set(expected)
    markdown = next(d for d in at.get("download_button") if "plan" in d.proto.label.lower())
    assert markdown.proto.deferred_file_id  # made when clicked, not on every rerun
    mime, data = downloads["kg-plan-attention.md"]
    checklist = data().decode("utf-8")
    assert mime == "text/markdown" and checklist == to_markdown(load_pack(small_dir), plan=["attention"])
    items = [line for line in checklist.splitlines() if line.startswith("- [ ] ")]
    assert [line.split("**")[1].split(" (")[0] for line in items] == [names[n] for n in expected]
    ok(at.checkbox(key="step-calculus").check().run())
    assert at.session_state.known == ["calculus"]
    assert [c.label for c in at.checkbox][0].startswith("1\\. ") and "Calculus" not in at.checkbox[0].label
    assert len(at.checkbox) == len(expected) - 1
    assert at.query_params["plan"] == "attention"


def test_plan_with_everything_known_and_learn_next(small_dir):
    at = ok(make_app(tab="plan").run())
    assert "Choose one or more targets" in at.info[0].value
    assert at.button(key="next-focus-calculus") is not None  # roots are what can be learnt first
    ok(at.button(key="next-add-calculus").click().run())
    assert at.session_state.targets == ["calculus"] and at.query_params["plan"] == "calculus"
    ok(at.selectbox(key="pick_known").set_value("calculus").run())
    assert at.session_state.known == ["calculus"] and at.selectbox(key="pick_known").value is None
    assert [s.value for s in at.success] == ["You already know everything these targets need."]
    keys = [b.key for b in at.button if b.key and b.key.startswith("next-focus-")]
    assert "next-focus-calculus" not in keys and "next-focus-backpropagation" in keys


def test_language_switch_changes_the_whole_interface(small_dir):
    at = ok(make_app(focus="relu").run())
    assert at.title[0].value == "kg · deep-learning concepts"
    at.radio(key="lang").set_value("zh").run()
    ok(at)
    assert at.title[0].value == "kg · 深度学习概念图谱"
    assert [t.label for t in at.tabs] == ["探索", "学习计划", "今日", "关联", "对比", "测验", "检查"]
    assert at.query_params["lang"] == "zh"
    data = graph_payload(at)
    assert {n["label"] for n in data["nodes"]} >= {"线性整流函数", "梯度消失"}
    assert data["edges"][0]["title"].split("\n")[0] in {"线性整流函数 解决 梯度消失", "线性整流函数 用于 神经网络", "带泄露线性整流函数 是 线性整流函数 的一种变体"}
    assert "max\\(0, x\\)。" in texts(at)  # the Chinese summary comes first


def test_every_choice_survives_a_language_switch_and_the_tabs_that_hide_it(small_dir):
    """Widgets are bound to session state by their key alone (Streamlit 1.67): new labels in another language,
    and a tab that does not draw them, keep every choice."""
    at = ok(make_app(focus="relu").run())
    kinds = sorted(KINDS)[:3]
    at.slider(key="depth").set_value(2)
    at.toggle(key="physics").set_value(True)
    at.multiselect(key="filter_kinds").set_value(kinds)
    at.radio(key="export_scope").set_value("pack")
    at.text_input(key="query").input("leaky")
    ok(at.run())
    explore = {"depth": 2, "physics": True, "filter_kinds": kinds, "export_scope": "pack", "query": "leaky"}
    assert {key: at.session_state[key] for key in explore} == explore
    ok(at.radio(key="lang").set_value("zh").run())
    assert at.slider(key="depth").label == "深度(跳数)" and at.radio(key="export_scope").label == "导出内容"
    assert (at.slider(key="depth").value, at.toggle(key="physics").value, at.multiselect(key="filter_kinds").value,
            at.radio(key="export_scope").value, at.text_input(key="query").value) == (2, True, kinds, "pack", "leaky")
    # the Quiz tab: Explore's widgets are not drawn, and their values wait for it
    at.query_params["tab"] = "quiz"
    ok(at.run())
    assert at.session_state.tab == "quiz" and not at.slider
    at.number_input(key="quiz_count").set_value(4)
    ok(at.toggle(key="advanced").set_value(True).run())
    ok(at.number_input(key="quiz_seed").set_value(7).run())
    ok(at.radio(key="lang").set_value("en").run())
    assert (at.number_input(key="quiz_count").value, at.number_input(key="quiz_seed").value) == (4, 7)
    at.query_params["tab"] = "connect"
    ok(at.run())
    at.selectbox(key="conn_b").set_value("attention")
    ok(at.radio(key="lang").set_value("zh").run())
    assert at.selectbox(key="conn_b").value == "attention" and at.selectbox(key="conn_b").label == "到"
    at.query_params["tab"] = "explore"
    ok(at.run())
    assert {key: at.session_state[key] for key in explore} == explore
    assert (at.slider(key="depth").value, at.toggle(key="physics").value, at.multiselect(key="filter_kinds").value) == (2, True, kinds)
    graph = load_pack(small_dir).graph  # the drawing still filters by the kinds chosen before
    assert all(graph.nodes[n["id"]]["kind"] in kinds for n in graph_payload(at)["nodes"] if n["id"] != "relu")
    assert (at.session_state.quiz_count, at.session_state.quiz_seed, at.session_state.advanced, at.session_state.conn_b) == (4, 7, True, "attention")


def test_query_params_round_trip(small_dir):
    params = {"focus": "leaky-relu", "tab": "plan", "lang": "zh", "depth": "3", "plan": "attention,relu"}
    at = ok(make_app(**params).run())
    assert (at.session_state.focus, at.session_state.tab, at.session_state.lang, at.session_state.depth,
            at.session_state.targets) == ("leaky-relu", "plan", "zh", 3, ["attention", "relu"])
    assert {k: at.query_params[k] for k in params} == params
    # names and aliases in the URL are resolved to ids; nonsense falls back to a valid view
    at = ok(make_app(focus="GD", tab="nonsense", depth="9", lang="fr", plan="nope,relu").run())
    assert at.query_params["focus"] == "gradient-descent" and at.query_params["tab"] == "explore"
    assert at.query_params["depth"] == "3" and at.query_params["lang"] == "en" and at.query_params["plan"] == "relu"


def test_known_concepts_download_and_upload_as_json(small_dir):
    at = ok(make_app(tab="plan").run())
    upload = at.file_uploader(key="known_file")
    upload.set_value(("known.json", json.dumps({"known": ["calculus", "relu", "not-there", "<b>x</b>"]}).encode(), "application/json"))
    ok(at.run())
    assert at.session_state.known == ["calculus", "relu"]
    assert any("Loaded 2 known concepts" in s.value for s in at.success)
    download = next(d for d in at.get("download_button") if "known" in d.proto.label.lower())
    assert download is not None
    at = ok(make_app(tab="plan").run())
    assert at.session_state.known == ["calculus", "relu"]  # a new session: the profile remembers them
    at.file_uploader(key="known_file").set_value(("k.json", b"{not json", "application/json"))
    ok(at.run())
    assert at.session_state.known == ["calculus", "relu"] and at.error  # a bad file changes nothing


def test_bad_uploaded_pack_shows_its_problems(small_dir):
    at = ok(make_app(tab="checks").run())
    bad = SMALL + "\n- id: broken\n  name: Broken\n  kind: gizmo\n  summary: S.\n  requires: [relux]\n"
    at.file_uploader(key="upload").set_value(("mine.yaml", bad.encode(), "application/x-yaml"))
    ok(at.run())
    entries = [m.value.replace("\\", "") for m in at.markdown]
    # every problem cites the uploaded file by its own name, with the line
    assert any("`unknown-kind`" in e and "mine.yaml:" in e for e in entries), entries
    assert not any("uploaded.yaml" in e for e in entries)
    assert any("mine.yaml" in s.value.replace("\\", "") for s in at.caption)
    # what can be explored still is: the broken concept loaded too, is found, and becomes the focus
    at.text_input(key="query").set_value("Broken").run()
    at.button(key="hit-broken").click().run()
    ok(at)
    assert at.session_state.focus == "broken"


def test_checks_tab_speaks_chinese_in_chinese_mode(small_dir):
    at = ok(make_app(tab="checks", lang="zh").run())
    bad = SMALL + "\n- id: broken\n  name: Broken\n  kind: gizmo\n  summary: S.\n  requires: [relux]\n"
    at.file_uploader(key="upload").set_value(("mine.yaml", bad.encode(), "application/x-yaml"))
    ok(at.run())
    entries = [m.value.replace("\\", "") for m in at.markdown]
    hints = [c.value.replace("\\", "") for c in at.caption]
    # the message and the hint are the code's Chinese templates; the pack's own words are quoted as written
    assert "类型 'gizmo' 不在类型词表中" in entries, entries
    assert "使用 docs/pack-format.md 中列出的类型之一" in hints, hints
    assert not any("is not in the vocabulary" in e for e in entries)


def test_unsafe_or_unreadable_uploads_never_crash(small_dir):
    at = ok(make_app(tab="checks").run())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../escape.yaml", SMALL)
    at.file_uploader(key="upload").set_value(("pack.zip", buffer.getvalue(), "application/zip"))
    ok(at.run())
    assert any("outside the pack folder" in e.value for e in at.error)
    at = ok(make_app(tab="checks").run())
    at.file_uploader(key="upload").set_value(("x.yaml", b"\xff\xfe\x00garbage: [", "application/x-yaml"))
    ok(at.run())
    assert at.error or any("x.yaml:" in m.value.replace("\\", "") for m in at.markdown)


def _chinese_errors(at: AppTest) -> list[str]:
    return [e.value.replace("\\", "") for e in at.error]


def test_a_refused_zip_upload_is_said_in_chinese_in_chinese_mode(small_dir):
    at = ok(make_app(tab="checks", lang="zh").run())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("pack/a.yaml", SMALL)
        archive.writestr("../escape.yaml", SMALL)
    at.file_uploader(key="upload").set_value(("我的包.zip", buffer.getvalue(), "application/zip"))
    ok(at.run())
    errors = _chinese_errors(at)
    # the sidebar and the Checks tab: the upload's own name, the member as written, the rest in Chinese
    assert any(e.startswith("无法打开上传的概念包:我的包.zip: 压缩包成员 '../escape.yaml' 会被写到概念包文件夹之外") for e in errors), errors
    assert not any("outside" in e or "could not" in e for e in errors), errors
    hints = [c.value.replace("\\", "").replace("\u2060", "") for c in at.caption]
    assert any(h.startswith("压缩包的内容均未解压:请用相对路径") for h in hints), hints  # the Checks tab gives the fix too
    at.radio(key="lang").set_value("en")
    ok(at.run())
    assert any("我的包.zip: '../escape.yaml' would be written outside the pack folder" in e.value.replace("\\", "") for e in at.error)


def test_an_upload_too_large_for_the_app_is_said_in_chinese(small_dir):
    at = ok(make_app(tab="checks", lang="zh").run())
    many = "".join(f"- {{id: c{i}}}\n" for i in range(20_001))
    at.file_uploader(key="upload").set_value(("big.yaml", many.encode(), "application/x-yaml"))
    ok(at.run())
    errors = _chinese_errors(at)
    assert any("概念包约有 20,001 个概念;应用最多载入 20,000 个(更大的概念包请用 kg 命令)" in e for e in errors), errors
    assert not any("concepts;" in e for e in errors)


def test_a_bad_known_concepts_file_is_said_in_chinese(small_dir):
    at = ok(make_app(tab="plan", lang="zh").run())
    at.file_uploader(key="known_file").set_value(("k.json", b"{not json", "application/json"))
    ok(at.run())
    assert "这不是已掌握概念文件:不是 UTF-8 编码的 JSON 文件" in _chinese_errors(at)
    at.file_uploader(key="known_file").set_value(("k.json", b'{"known": "relu"}', "application/json"))
    ok(at.run())
    assert '这不是已掌握概念文件:应为 {"known": [ids]} 形式' in _chinese_errors(at)


def test_a_bad_profile_name_is_said_in_chinese(small_dir):
    at = ok(make_app(lang="zh").run())
    at.text_input(key="new_profile_name").set_value("x" * 80)
    ok(at.run())
    errors = _chinese_errors(at)
    assert any(e.startswith("无法读取或保存你的进度:档案名应为 1 到 64 个可打印字符,而不是 'xxx") for e in errors), errors


def test_zip_upload_of_a_pack(small_dir):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mypack/a.yaml", SMALL)
        archive.writestr("mypack/notes.txt", "ignored")
    at = ok(make_app(focus="attention").run())
    at.file_uploader(key="upload").set_value(("mypack.zip", buffer.getvalue(), "application/zip"))
    ok(at.run())
    assert at.session_state.focus == "attention" and graph_payload(at)["focus"] == "attention"


def test_hostile_pack_text_is_escaped_in_every_streamlit_element(tmp_path, monkeypatch):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "hostile.yaml").write_text(hostile_yaml(), encoding="utf-8")
    monkeypatch.setenv("KG_GRAPH", str(folder))
    for tab in ("explore", "plan", "connect", "compare", "quiz", "checks"):
        at = make_app(tab=tab, focus="evil-one", plan="evil-one", compare="evil-one,evil-three").run()
        if tab == "quiz":  # answer nothing and check: explanations and the review list show pack text too
            ok(at.button(key="quiz-check").click().run())
            assert at.session_state.quiz_review and ("Not answered" in texts(at) or "To review" in texts(at))
        ok(at)
        for text in [*(e.value for e in [*at.markdown, *at.caption, *at.subheader]), *(b.label for b in at.button),
                     *(e.label for e in at.expander), *(r.label for r in at.radio), *(o for r in at.radio for o in r.options)]:
            # every Markdown/HTML character of pack text is backslash-escaped, so it shows literally
            assert not re.search(r"(?<!\\)[<>]", text), text
            assert "](javascript" not in text
    payload = graph_payload(ok(make_app(focus="evil-one").run()))
    assert any("</script><script>window.__pwned=1" in n["label"] + n["title"] for n in payload["nodes"])


def test_a_pack_that_cannot_be_found_shows_a_problem(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_GRAPH", str(tmp_path / "missing"))
    at = ok(make_app(tab="checks").run())
    assert any("`io-error`" in m.value.replace("\\", "") for m in at.markdown)
    at = ok(make_app(tab="explore").run())
    assert at.warning


def test_command_line_argument_wins_over_environment():
    from kg.pack import pack_path_from_args  # the function app.py calls with sys.argv and os.environ

    assert pack_path_from_args(["--graph", "a"], {"KG_GRAPH": "b"}) == "a"
    assert pack_path_from_args([], {"KG_GRAPH": "b"}) == "b"
    assert pack_path_from_args(["-q", "tests"], {}) is None


def test_ten_thousand_concepts_open_with_the_drawing_capped(tmp_path, monkeypatch):
    synth.write_pack(10_000, tmp_path / "big", seed=3)
    monkeypatch.setenv("KG_GRAPH", str(tmp_path / "big"))
    at = AppTest.from_file(APP, default_timeout=120)
    ok(at.run())
    assert len(graph_payload(at)["nodes"]) <= 300
    at.toggle(key="whole").set_value(True).run()
    ok(at)
    assert any("more than the 5000" in i.value for i in at.info)
    assert len(graph_payload(at)["nodes"]) <= 300
    at.slider(key="depth").set_value(2).run()
    ok(at)
    assert len(graph_payload(at)["nodes"]) <= 300  # how fast a rerun is: the benchmark's job, not a test's


def test_exports_offer_every_format_for_the_focus_neighbourhood(small_dir, downloads):
    from kg.text import WORDS

    pack = load_pack(small_dir)
    at = ok(make_app(focus="relu", depth="1").run())
    labels = [d.proto.label for d in at.get("download_button")]
    assert {WORDS["en"][f"format_{fmt}"] for fmt in EXPORTERS} <= set(labels)
    assert all(d.proto.deferred_file_id for d in at.get("download_button") if d.proto.label in labels)
    for fmt, (_, binary, suffix) in EXPORTERS.items():
        mime, data = downloads[f"kg-relu-depth1{suffix}"]
        content = data()
        assert isinstance(content, bytes) and content, fmt
        if binary:
            assert content[:2] == b"PK" and mime == "application/octet-stream"  # an .apkg is a zip
    assert downloads["kg-relu-depth1.json"][0] == "application/json"
    assert downloads["kg-relu-depth1.csv"][0] == "text/csv"
    data = json.loads(downloads["kg-relu-depth1.json"][1]())
    ids = {n["id"] for n in data["nodes"]}
    assert ids == set(select_nodes(pack, focus="relu", depth=1)) == {n["id"] for n in graph_payload(at)["nodes"]}
    assert {(l["source"], l["type"], l["target"]) for l in data["links"]} >= {("relu", "solves", "vanishing-gradient")}
    # the depth of Explore is the depth of the export
    downloads.clear()
    at.slider(key="depth").set_value(2).run()
    data = json.loads(ok(at) and downloads["kg-relu-depth2.json"][1]())
    assert {n["id"] for n in data["nodes"]} == set(select_nodes(pack, focus="relu", depth=2))


def test_exports_of_the_whole_pack_and_of_the_plan(small_dir, downloads):
    pack = load_pack(small_dir)
    at = ok(make_app(focus="relu", plan="attention").run())
    ok(at.radio(key="export_scope").set_value("pack").run())
    data = json.loads(downloads["kg-pack.json"][1]())
    assert len(data["nodes"]) == pack.graph.number_of_nodes() and len(data["links"]) == pack.graph.number_of_edges()
    ok(at.radio(key="export_scope").set_value("plan").run())
    plan = [s.id for s in study_order(pack, ["attention"]).steps]
    assert [n["id"] for n in json.loads(downloads["kg-plan-attention.json"][1]())["nodes"]] == sorted(plan)
    assert downloads["kg-plan-attention.md"][1]().decode().startswith("# Study plan: Attention")
    # no targets: nothing to export as a plan, and no crash
    at = ok(make_app(focus="relu").run())
    ok(at.radio(key="export_scope").set_value("plan").run())
    assert any("Choose one or more targets" in i.value for i in at.info)


# ---------------------------------------------------------------- quiz


@pytest.fixture()
def shipped(monkeypatch):
    """The shipped graph: enough concepts of each kind for multiple-choice questions."""
    monkeypatch.delenv("KG_GRAPH", raising=False)
    return load_pack()


def quiz_radios(at: AppTest) -> list:
    """The question radios of the quiz on screen (keys quiz-<quiz token>-<number>), in order."""
    return sorted((r for r in at.radio if r.key and re.fullmatch(r"quiz-[0-9a-f]{12}-\d+", r.key)), key=lambda r: int(r.key.rsplit("-", 1)[1]))


def answer(at: AppTest, questions, right=lambda index: True) -> AppTest:
    """Pick the right option (question.answer) or a wrong one; interview questions are self-graded."""
    radios = quiz_radios(at)
    assert len(radios) == len(questions)
    for index, (radio, question) in enumerate(zip(radios, questions)):
        good = right(index)
        if question.kind == "choice":
            radio.set_value(question.answer if good else (question.answer + 1) % len(question.options))
        else:
            radio.set_value(bool(good))
    return ok(at.run())


def test_quiz_tab_all_right_scores_full_marks_with_explanations(shipped):
    questions = make_quiz(shipped, count=10, seed=0, lang="en")
    at = ok(make_app(tab="quiz").run())
    assert at.session_state.tab == "quiz" and at.query_params["tab"] == "quiz"
    radios = quiz_radios(at)
    for radio, question in zip(radios, questions):
        if question.kind == "choice":  # the options are the question's, in its order, escaped
            assert radio.options == [md(o) for o in question.options] and md(question.prompt) in radio.label
    ok(answer(at, questions).button(key="quiz-check").click().run())
    assert [s.value for s in at.success] == [f"Score: {len(questions)}/{len(questions)} (100%)"]
    assert at.session_state.quiz_review == []
    captions = "\n".join(c.value for c in at.caption)
    assert all(md(q.explanation) in captions for q in questions if q.explanation)
    assert all(r.disabled for r in quiz_radios(at))  # a checked quiz is locked until the next one


def test_quiz_wrong_answer_goes_to_review_download_and_retry(shipped, downloads, tmp_path):
    questions = make_quiz(shipped, count=6, seed=3, lang="en")
    wrong = next(i for i, q in enumerate(questions) if q.kind == "choice")
    at = ok(make_app(tab="quiz").run())
    at.number_input(key="quiz_count").set_value(6)
    at.toggle(key="advanced").set_value(True).run()  # the seed is an advanced setting
    at.number_input(key="quiz_seed").set_value(3)
    ok(at.run())
    ok(answer(at, questions, right=lambda i: i != wrong).button(key="quiz-check").click().run())
    total = len(questions)
    assert [s.value for s in at.warning] == [f"Score: {total - 1}/{total} ({round(100 * (total - 1) / total)}%)"]
    review = at.session_state.quiz_review
    assert [item["id"] for item in review] == [questions[wrong].id]
    assert review[0]["correct"] is False and review[0]["correct_answer"] == questions[wrong].answer_text
    assert review[0]["times_wrong"] == 1
    assert f"Wrong: the answer is {md(questions[wrong].answer_text)}" in texts(at)
    mime, data = downloads["kg-review.json"]
    saved = tmp_path / "review.json"
    saved.write_bytes(data())
    assert mime == "application/json" and [i["id"] for i in load_review(saved)] == [questions[wrong].id]  # kg quiz --retry reads it
    # retry: only the review questions, and a right answer takes it off the list
    ok(at.button(key="quiz-retry").click().run())
    retry = make_quiz(shipped, count=1, seed=3, lang="en", ids=[questions[wrong].id])
    assert len(quiz_radios(at)) == 1 and any("Retrying the 1 questions" in i.value for i in at.info)
    ok(answer(at, retry).button(key="quiz-check").click().run())
    assert at.session_state.quiz_review == [] and "Review (0)" in texts(at)
    ok(at.button(key="quiz-back").click().run())
    assert len(quiz_radios(at)) == total


def test_quiz_seed_topic_and_language(shipped):
    at = ok(make_app(tab="quiz").run())
    first = [r.label for r in quiz_radios(at)]
    ok(at.button(key="quiz-new").click().run())
    assert at.session_state.quiz_seed == 1 and [n.key for n in at.number_input] == ["quiz_count"]  # seed hidden
    second = [r.label for r in quiz_radios(at)]
    assert second != first
    expected = make_quiz(shipped, count=10, seed=1, lang="en")
    assert [md(q.prompt) in label for q, label in zip(expected, second) if q.kind == "choice"] == [True] * sum(q.kind == "choice" for q in expected)
    # the topic: one concept, or the focus; the language follows the interface
    at = ok(make_app(tab="quiz", focus="lstm", lang="zh").run())
    ok(at.button(key="quiz-focus").click().run())
    assert at.session_state.quiz_topic == "lstm"
    expected = make_quiz(shipped, topic="lstm", count=10, seed=0, lang="zh")
    radios = quiz_radios(at)
    assert len(radios) == len(expected)
    for radio, question in zip(radios, expected):
        if question.kind == "choice":
            assert radio.options == [md(o) for o in question.options]
    assert at.tabs[5].label == "测验"
    ok(at.selectbox(key="quiz_topic").set_value("").run())
    assert at.session_state.quiz_topic == "" and len(quiz_radios(at)) == 10


def test_compare_view_has_the_content_of_kg_compare(small_dir):
    from kg.compare import compare

    at = ok(make_app(tab="compare", compare="relu,leaky-relu").run())
    result = compare(load_pack(small_dir), ["relu", "leaky-relu"])
    body = texts(at)
    assert "ReLU" in body and "Leaky ReLU" in body and "How they differ" in body and "How they connect" in body
    assert "Leaky ReLU is a variant of ReLU" in body.replace("\\", "")
    assert at.query_params["compare"] == "relu,leaky-relu"
    for side in result.sides:
        for targets in side.relations.values():
            for target in targets:
                assert at.button(key=f"cmp-{side.id}-" + next(t for t, v in side.relations.items() if target in v) + f"-{target}")
    # a name from the comparison opens that concept; a third concept can be picked in Chinese
    ok(at.selectbox(key="pick_compared").set_value("vanishing-gradient").run())
    assert at.session_state.compared == ["relu", "leaky-relu", "vanishing-gradient"]
    ok(at.button(key="cmp-relu-solves-vanishing-gradient").click().run())
    assert at.session_state.focus == "vanishing-gradient" and at.session_state.tab == "explore"


def test_learn_next_starts_at_the_foundations(monkeypatch):
    """With nothing known, what to learn first is what opens up the most, not leaves such as gRPC or REST."""
    import networkx as nx

    monkeypatch.delenv("KG_GRAPH", raising=False)
    shipped = load_pack()
    at = ok(make_app(tab="plan").run())
    first = [b.key.removeprefix("next-focus-") for b in at.button if b.key and b.key.startswith("next-focus-")][:5]
    assert len(first) == 5
    unlocks = {n: len(nx.descendants(shipped.study, n)) for n in shipped.study if not shipped.study.pred[n]}
    median = sorted(unlocks.values())[len(unlocks) // 2]
    assert all(unlocks[n] > median for n in first), {n: unlocks[n] for n in first}


def test_a_plan_that_cannot_be_made_sends_to_the_checks_tab(tmp_path, monkeypatch):
    folder = tmp_path / "cycle"
    folder.mkdir()
    (folder / "c.yaml").write_text(
        "- {id: a, name: A, kind: concept, summary: S., requires: [b]}\n"
        "- {id: b, name: B, kind: concept, summary: S., requires: [a]}\n", encoding="utf-8")
    monkeypatch.setenv("KG_GRAPH", str(folder))
    at = ok(make_app(tab="plan", plan="a").run())
    assert any("Checks tab" in e.value for e in at.error)
    assert not any("kg check" in e.value for e in at.error)
    ok(at.button(key="plan-checks").click().run())
    assert at.session_state.tab == "checks" and at.query_params["tab"] == "checks"


def test_every_tab_and_export_scope_has_its_words_in_both_languages():
    from kg.app.state import EXPORT_SCOPES, TABS
    from kg.text import LANGS, WORDS

    for lang in LANGS:
        assert [key for key in [*(f"tab_{t}" for t in TABS), *(f"export_{s}" for s in EXPORT_SCOPES)] if key not in WORDS[lang]] == []
