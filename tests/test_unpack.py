"""kg.unpack: an uploaded .zip never writes outside its folder, never fills the disk, and keeps only YAML.

Complements the zip tests in test_render.py with hostile archives built byte by byte:
lying size headers, device and FIFO members, Unix and DOS attributes, encrypted flags,
duplicate names, and partial writes that must be cleaned up.
"""
from __future__ import annotations

import io
import json
import re
import stat
import struct
import zipfile
import zlib

import pytest

from kg import load_pack
from kg.errors import PackError
from kg.unpack import UnsafeArchive, ZipLimits, extract_zip

CONCEPT = b"- id: a\n  name: A\n  kind: concept\n  summary: S.\n"


def make_zip(members, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """members: name -> bytes, or (bytes, unix mode) to record a file type."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            if isinstance(content, tuple):
                content, mode = content
                info = zipfile.ZipInfo(name)
                info.external_attr = mode << 16
                info.compress_type = compression
                archive.writestr(info, content)
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink())


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_unsafe_archive_is_a_pack_error():
    assert issubclass(UnsafeArchive, PackError)


def test_a_pack_in_nested_folders_extracts_and_loads(out):
    data = make_zip({"pack/": b"", "pack/a.yaml": CONCEPT, "pack/sub/b.yml": CONCEPT.replace(b"id: a", b"id: b").replace(b"name: A", b"name: B"),
                     "pack/notes.txt": b"x", "pack/image.png": b"\x89PNG", "pack/script.py": b"import os"})
    written = extract_zip(data, out)
    assert sorted(p.relative_to(out.resolve()).as_posix() for p in written) == ["pack/a.yaml", "pack/sub/b.yml"]
    assert files_under(out) == ["pack/a.yaml", "pack/sub/b.yml"]
    assert sorted(load_pack(out).graph) == ["a", "b"]


@pytest.mark.parametrize("name", [
    "../evil.yaml", "pack/../../evil.yaml", "pack/./../../evil.yaml", "/tmp/evil.yaml", "//server/share/evil.yaml",
    "C:evil.yaml", "C:\\evil.yaml", "..\\evil.yaml", "..",
])
def test_names_escaping_the_folder_refuse_the_whole_archive(tmp_path, out, name):
    data = make_zip({"ok.yaml": CONCEPT, name: b"- id: evil\n"})
    with pytest.raises(UnsafeArchive):
        extract_zip(data, out)
    assert files_under(out) == []
    assert not (tmp_path / "evil.yaml").exists()


@pytest.mark.parametrize("mode", [stat.S_IFLNK | 0o777, stat.S_IFCHR | 0o666, stat.S_IFBLK | 0o666, stat.S_IFIFO | 0o644,
                                  stat.S_IFSOCK | 0o755])
@pytest.mark.parametrize("name", ["link.yaml", "README"])
def test_links_and_device_members_refuse_the_archive(out, mode, name):
    """Even a link that is not YAML could be followed by a later member written through it."""
    data = make_zip({"ok.yaml": CONCEPT, name: (b"/etc/passwd", mode)})
    with pytest.raises(UnsafeArchive):
        extract_zip(data, out)
    assert files_under(out) == []


def test_regular_unix_modes_are_accepted_and_not_executable(out):
    data = make_zip({"a.yaml": (CONCEPT, stat.S_IFREG | 0o4777), "dir/": (b"", stat.S_IFDIR | 0o777)})
    (path,) = extract_zip(data, out)
    assert path.read_bytes() == CONCEPT
    assert not path.stat().st_mode & (stat.S_ISUID | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def test_too_many_members(out):
    data = make_zip({f"f{i}.txt": b"x" for i in range(11)})
    with pytest.raises(UnsafeArchive, match="members"):
        extract_zip(data, out, ZipLimits(max_members=10))
    extract_zip(data, out, ZipLimits(max_members=11))


def test_declared_size_per_file_is_checked_before_writing(out):
    data = make_zip({"a.yaml": CONCEPT, "big.yaml": b"#" * 5000})
    with pytest.raises(UnsafeArchive, match="size limits"):
        extract_zip(data, out, ZipLimits(max_member_bytes=4096))
    assert files_under(out) == []


def test_declared_total_size_is_checked_before_writing(out):
    data = make_zip({f"{i}.yaml": b"#" * 1000 for i in range(5)})
    with pytest.raises(UnsafeArchive, match="size limits"):
        extract_zip(data, out, ZipLimits(max_total_bytes=4500))
    assert files_under(out) == []
    assert len(extract_zip(data, out, ZipLimits(max_total_bytes=5000))) == 5


def test_non_yaml_members_count_towards_the_total(out):
    """A 1 GB 'README' is still a bomb the server has to look at."""
    data = make_zip({"a.yaml": CONCEPT, "README": b"\0" * (2 * 1024 * 1024)})
    with pytest.raises(UnsafeArchive):
        extract_zip(data, out, ZipLimits(max_total_bytes=1024 * 1024))


def lie_about_sizes(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size of ``name`` in both the local and the central header."""
    blob = bytearray(data)
    encoded = name.encode()
    position = 0
    while (position := blob.find(b"PK\x03\x04", position)) != -1:
        name_length = struct.unpack_from("<H", blob, position + 26)[0]
        if blob[position + 30:position + 30 + name_length] == encoded:
            struct.pack_into("<I", blob, position + 22, size)
        position += 4
    position = 0
    while (position := blob.find(b"PK\x01\x02", position)) != -1:
        name_length = struct.unpack_from("<H", blob, position + 28)[0]
        if blob[position + 46:position + 46 + name_length] == encoded:
            struct.pack_into("<I", blob, position + 24, size)
        position += 4
    return bytes(blob)


def test_zip_bomb_with_lying_headers_is_stopped_while_extracting(out):
    """Headers declare 100 bytes; the deflate stream holds 50 MB of zeros."""
    honest = make_zip({"a.yaml": CONCEPT, "bomb.yaml": b"\0" * (50 * 1024 * 1024)})
    assert len(honest) < 100_000
    liar = lie_about_sizes(honest, "bomb.yaml", 100)
    assert zipfile.ZipFile(io.BytesIO(liar)).getinfo("bomb.yaml").file_size == 100
    try:
        written = extract_zip(liar, out, ZipLimits(max_member_bytes=1024 * 1024, max_total_bytes=2 * 1024 * 1024))
    except UnsafeArchive:
        written = []
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert total <= 1024 * 1024
    assert all(p.stat().st_size <= 1024 * 1024 for p in written)


def test_high_compression_ratio_is_stopped(out):
    data = make_zip({"bomb.yaml": b"\n" * (4 * 1024 * 1024)})
    with pytest.raises(UnsafeArchive):
        extract_zip(data, out, ZipLimits(max_member_bytes=8 * 1024 * 1024, max_total_bytes=8 * 1024 * 1024, max_ratio=50))
    assert files_under(out) == []


def test_a_refused_archive_leaves_no_files_behind(out):
    """The second member is over the limit only once decompressed: the first, already written, is removed."""
    liar = lie_about_sizes(make_zip({"a/first.yaml": CONCEPT, "b/second.yaml": b"#" * 200_000}), "b/second.yaml", 10)
    with pytest.raises(UnsafeArchive):
        extract_zip(liar, out, ZipLimits(max_member_bytes=100_000))
    assert files_under(out) == []


def test_duplicate_member_names_do_not_overwrite(out):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.yaml", CONCEPT)
        with pytest.warns(UserWarning):
            archive.writestr("a.yaml", b"- id: replaced\n")
    with pytest.raises(UnsafeArchive):
        extract_zip(buffer.getvalue(), out)
    assert files_under(out) == []


def test_encrypted_member_is_refused(out):
    data = bytearray(make_zip({"a.yaml": CONCEPT}, zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = data.find(signature)
        struct.pack_into("<H", data, position + offset, struct.unpack_from("<H", data, position + offset)[0] | 1)
    with pytest.raises(UnsafeArchive, match="encrypted"):
        extract_zip(bytes(data), out)


def test_nul_in_a_name_writes_nothing_outside(tmp_path, out):
    """zipfile cuts a name at NUL ('pack/\\0../evil.yaml' reads as the folder 'pack/')."""
    try:
        extract_zip(make_zip({"pack/\x00../../evil.yaml": b"- id: evil\n"}), out)
    except UnsafeArchive:
        pass
    assert files_under(out) == [] and not (tmp_path / "evil.yaml").exists()


def test_an_empty_archive_extracts_nothing(out):
    assert extract_zip(b"PK\x05\x06" + b"\0" * 18, out) == []


@pytest.mark.parametrize("data", [b"", b"PK", b"not a zip at all" * 100,
                                  make_zip({"a.yaml": CONCEPT})[:-30]])
def test_broken_archives_are_unsafe_archive_errors(out, data):
    with pytest.raises(UnsafeArchive):
        extract_zip(data, out)


def test_corrupt_member_data_is_refused(out):
    data = bytearray(make_zip({"a.yaml": CONCEPT * 50}))
    start = data.find(b"a.yaml") + len("a.yaml")
    data[start + 5:start + 25] = b"\xff" * 20  # inside the deflate stream
    with pytest.raises(UnsafeArchive):
        extract_zip(bytes(data), out)
    assert files_under(out) == []


def test_archive_size_limit(out):
    with pytest.raises(UnsafeArchive, match="archive is"):
        extract_zip(make_zip({"a.yaml": b"#" * 4000}, zipfile.ZIP_STORED), out, ZipLimits(max_archive_bytes=1000))


def test_zlib_is_really_compressing():
    """The bomb fixtures rely on deflate: 50 MB of zeros must compress to well under 100 KB."""
    assert len(zlib.compress(b"\0" * (50 * 1024 * 1024))) < 100_000


# ---------------------------------------------------------------- refusals are problem records, in either language

HAN = "[\u4e00-\u9fff]"


def _refusal(data: bytes, out, limits: ZipLimits = ZipLimits()) -> UnsafeArchive:
    with pytest.raises(UnsafeArchive) as caught:
        extract_zip(data, out, limits, name="mine.zip")
    return caught.value


def _encrypted() -> bytes:
    data = bytearray(make_zip({"a.yaml": CONCEPT}, zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = data.find(signature)
        struct.pack_into("<H", data, position + offset, struct.unpack_from("<H", data, position + offset)[0] | 1)
    return bytes(data)


HOSTILE = {  # what each refusal is, the archive, its limits, and the code it is reported with
    "escape": (lambda: make_zip({"../evil.yaml": CONCEPT}), ZipLimits(), "unsafe-archive", "会被写到概念包文件夹之外"),
    "absolute": (lambda: make_zip({"/etc/evil.yaml": CONCEPT}), ZipLimits(), "unsafe-archive", "是绝对路径"),
    "backslash": (lambda: make_zip({"..\\evil.yaml": CONCEPT}), ZipLimits(), "unsafe-archive", "反斜杠"),
    "symlink": (lambda: make_zip({"link.yaml": (b"/etc/passwd", stat.S_IFLNK | 0o777)}), ZipLimits(), "unsafe-archive", "符号链接"),
    "fifo": (lambda: make_zip({"pipe.yaml": (b"", stat.S_IFIFO | 0o644)}), ZipLimits(), "unsafe-archive", "不是普通文件"),
    "encrypted": (_encrypted, ZipLimits(), "unsafe-archive", "已加密"),
    "duplicate": (lambda: _duplicate(), ZipLimits(), "unsafe-archive", "出现了两次"),
    "members": (lambda: make_zip({f"f{i}.yaml": b"x" for i in range(12)}), ZipLimits(max_members=10), "archive-too-large", "个成员"),
    "archive-bytes": (lambda: make_zip({"a.yaml": b"#" * 4000}, zipfile.ZIP_STORED), ZipLimits(max_archive_bytes=1000),
                      "archive-too-large", "字节"),
    "member-bytes": (lambda: make_zip({"a.yaml": b"#" * 5000}), ZipLimits(max_member_bytes=4096), "archive-too-large", "大小上限"),
    "bomb": (lambda: make_zip({"a.yaml": b"#" * (2 * 1024 * 1024)}), ZipLimits(max_ratio=50), "archive-too-large", "倍"),
    "not-a-zip": (lambda: b"PK\x03\x04 not really a zip", ZipLimits(), "bad-archive", "不是 zip 压缩包"),
}


def _duplicate() -> bytes:
    import warnings

    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")
        archive.writestr("a.yaml", CONCEPT)
        archive.writestr("a.yaml", b"- id: b\n")
    return buffer.getvalue()


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_every_refusal_is_a_located_problem_said_in_both_languages(case, out):
    build, limits, code, chinese = HOSTILE[case]
    refusal = _refusal(build(), out, limits)
    record = refusal.problem
    assert (record.code, record.path, record.line, record.severity) == (code, "mine.zip", 1, "error")
    assert str(refusal) == f"mine.zip: {record.message}" == refusal.message_in("en")
    zh = refusal.message_in("zh")
    assert zh.startswith("mine.zip: ") and chinese in zh, zh
    # no English word of kg's own is left: only the archive's name and the member's name (quoted as written)
    own_words = re.sub(r"'[^']*'|mine\.zip|zip", "", zh)
    assert not re.search(r"[A-Za-z]{3,}", own_words), zh
    assert re.search(HAN, record.hint_in("zh")) and not files_under(out)


def test_check_reports_a_refused_zip_in_chinese_and_the_json_keeps_english(tmp_path, capsys):
    from kg.cli import main

    archive = tmp_path / "hostile.zip"
    archive.write_bytes(make_zip({"pack/a.yaml": CONCEPT, "../evil.yaml": CONCEPT}))
    assert main(["check", "--no-cache", "--lang", "zh", "--graph", str(archive)]) == 1
    chinese = capsys.readouterr().out
    assert "错误 unsafe-archive:压缩包成员 '../evil.yaml' 会被写到概念包文件夹之外" in chinese and "建议:压缩包的内容均未解压" in chinese
    assert "outside" not in chinese and "hint:" not in chinese
    assert main(["check", "--no-cache", "--graph", str(archive)]) == 1
    assert "error unsafe-archive: '../evil.yaml' would be written outside the pack folder" in capsys.readouterr().out
    main(["check", "--no-cache", "--json", "--lang", "zh", "--graph", str(archive)])
    (record,) = json.loads(capsys.readouterr().out)["problems"]
    assert record["message"] == "'../evil.yaml' would be written outside the pack folder"
    assert record["fields"] == {"member": "../evil.yaml", "flaw": "outside-folder"} and record["path"].endswith("hostile.zip")


def test_a_zipped_pack_loads_as_its_folder_would_with_files_named_inside_the_archive(tmp_path):
    archive = tmp_path / "mine.zip"
    archive.write_bytes(make_zip({"pack/a.yaml": CONCEPT + b"  requires: [relux]\n", "pack/notes.txt": b"x"}))
    pack = load_pack(archive, shown_as="mine.zip")
    assert list(pack.graph) == ["a"] and pack.root == archive
    assert [(p.code, p.path, p.line) for p in pack.errors] == [("unknown-target", "mine.zip/pack/a.yaml", 5)]
    assert pack.files == [archive / "pack" / "a.yaml"]
