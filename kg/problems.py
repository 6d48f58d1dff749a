"""Problem records and the one table of problem codes.

Like a compiler, kg collects problems instead of stopping at the first: every
check appends :class:`Problem` records, and the caller decides what to print
and how to exit.

A check never writes a sentence. It names a code of :data:`CODES` and passes the
code's fields (``problem("unknown-target", where, field="requires", target="relux")``);
the record keeps the code and the fields, and the sentence is made when it is shown,
in English or Chinese, from the code's message and hint templates. A field is pack
text (shown as written, escaped by the output: :mod:`kg.terminal`, :mod:`kg.markup`;
a :class:`Bilingual` when it exists in both languages, such as an assertion's
``why``/``why_zh`` or the YAML parser's complaint with its Chinese rendering), a number,
or a :class:`Phrase`: a named piece of kg's own text from :data:`PHRASES`, shown in the
language of the message.

>>> p = problem("unknown-target", ("a.yaml", 3, 5), field="requires", target="relux", suggestion="relu")
>>> print(p.format())
a.yaml:3:5: error unknown-target: 'requires' points at unknown concept 'relux'
  hint: did you mean 'relu'?
>>> print(p.format("zh"))
a.yaml:3:5: 错误 unknown-target:“requires”指向不存在的概念“relux”
  建议:是否应为“relu”?
"""
from __future__ import annotations

import difflib
import errno
from dataclasses import dataclass
from string import Formatter
from typing import Iterable, NamedTuple

ERROR, WARNING, INFO = "error", "warning", "info"


class Code(NamedTuple):
    """One problem code: how bad it is, one sentence for the README, and the message and usual fix
    as ``str.format`` templates in each language (the same fields in every language)."""

    severity: str
    description: str
    message: dict[str, str]
    hint: dict[str, str]


#: Every problem code, defined once (yamllint's rule table, as data). A :class:`Problem` with a code
#: that is not here cannot be made; the README's table of codes is :func:`codes_table` (a test
#: compares them row by row), and every code has a failing fixture in ``tests/fixtures/codes``.
#: ``tests/test_problem_codes.py`` checks that every call of :func:`problem` passes exactly the
#: fields of its code's templates, and that both languages use the same fields.
#:
#: A ``field`` is where in a concept (or in the pack header, ``pack.``) the problem is, as a key
#: path: ``refs[].year`` is the ``year`` of an entry of ``refs``.
CODES: dict[str, Code] = {
    "io-error": Code(
        ERROR, "A file or folder of the pack cannot be read.",
        {"en": "cannot be read: {reason}", "zh": "无法读取:{reason}"},
        {"en": "check the path and the file permissions; a pack is a folder or a .yaml file, and holds only regular files inside its folder",
         "zh": "检查路径和文件权限;概念包是一个文件夹或 .yaml 文件,只能包含其文件夹内的普通文件"}),
    "limit-exceeded": Code(
        ERROR, "A file, the pack or a structure is larger or deeper than the configured limits.",
        {"en": "{subject} has more than {limit:,} {unit}; {consequence}",
         "zh": "{subject}超过了 {limit:,} {unit}的上限;{consequence}"},
        {"en": "split the file, the list or the pack, or raise the file size limit (kg check --max-file-mb)",
         "zh": "拆分文件、列表或概念包,或提高文件大小上限(kg check --max-file-mb)"}),
    "bad-encoding": Code(
        ERROR, "A file is not valid UTF-8 or UTF-16, or contains control characters.",
        {"en": "{character} is not allowed in {encoding} text: {reason}",
         "zh": "{encoding} 文本中不允许出现 {character}:{reason}"},
        {"en": "save the file as UTF-8; write a control character as an escape inside double quotes",
         "zh": "把文件保存为 UTF-8;控制字符请在双引号内写成转义序列"}),
    "unsafe-archive": Code(
        ERROR, "A .zip pack has a member that would be written outside its folder (../, an absolute or backslash path), a link, a special file, an encrypted member or one name twice; nothing of it is unpacked.",
        {"en": "{member!r} {flaw}", "zh": "压缩包成员 {member!r} {flaw}"},
        {"en": "nothing of the archive is unpacked: zip the pack folder again with relative paths and only plain, unencrypted files (e.g. zip -r pack.zip pack/)",
         "zh": "压缩包的内容均未解压:请用相对路径、只含未加密的普通文件重新压缩概念包文件夹(例如 zip -r pack.zip pack/)"}),
    "archive-too-large": Code(
        ERROR, "A .zip pack has too many members or bytes, counted as they are decompressed (a zip bomb with lying headers is stopped too); nothing of it is unpacked.",
        {"en": "{excess}", "zh": "{excess}"},
        {"en": "nothing of the archive is unpacked: keep only the pack's YAML files in the zip, or split the pack",
         "zh": "压缩包的内容均未解压:压缩包中只放概念包的 YAML 文件,或拆分概念包"}),
    "bad-archive": Code(
        ERROR, "A .zip pack cannot be read as a zip archive (damaged, truncated or not a zip).",
        {"en": "not a readable zip archive: {detail}", "zh": "不是可读取的 zip 压缩包:{detail}"},
        {"en": "zip the pack folder again, or give the folder or a .yaml file instead",
         "zh": "重新压缩概念包文件夹,或改为提供文件夹或 .yaml 文件"}),
    "yaml-syntax": Code(
        ERROR, "A file is not well-formed YAML.",
        {"en": "not well-formed YAML: {detail}", "zh": "YAML 格式不正确:{detail}"},
        {"en": "fix the YAML at the position given (a quote, bracket or indentation left open)",
         "zh": "在给出的位置修正 YAML(常见原因:引号、括号未闭合或缩进有误)"}),
    "forbidden-tag": Code(
        ERROR, "A YAML tag such as !!python/object, !!binary, !!set or !!timestamp is used; only plain data is allowed.",
        {"en": "tag '{tag}' is not allowed", "zh": "不允许使用标签“{tag}”"},
        {"en": "remove the tag; write the value as plain text, a list or a mapping",
         "zh": "删除该标签;把值写成普通文本、列表或映射"}),
    "anchor-alias": Code(
        ERROR, "A YAML anchor (&a) or alias (*a) is used; they are rejected because they can expand without bound.",
        {"en": "'{mark}' is not allowed: anchors and aliases can expand without bound",
         "zh": "不允许使用“{mark}”:锚点和别名可能无限展开"},
        {"en": "write the value out in full where it is used", "zh": "在用到的地方把值完整写出"}),
    "multiple-documents": Code(
        ERROR, "A file holds more than one YAML document (---).",
        {"en": "a second YAML document starts here", "zh": "这里开始了第二个 YAML 文档"},
        {"en": "keep one document per file: remove '---' or split the file",
         "zh": "每个文件只放一个文档:删除“---”或拆分文件"}),
    "empty-file": Code(
        WARNING, "A file holds no concepts (empty or only comments).",
        {"en": "the file holds no concepts", "zh": "文件中没有概念"},
        {"en": "add concepts or delete the file", "zh": "添加概念或删除该文件"}),
    "bad-shape": Code(
        ERROR, "A file or entry does not have the shape of a concept, a list of concepts or a pack header.",
        {"en": "{part} must be {expected}, not {found}", "zh": "{part}应为{expected},而不是{found}"},
        {"en": "a file holds a list of concepts ('- id: ...'), one concept, or a mapping with 'pack', 'concepts' and 'expect'",
         "zh": "文件应包含概念列表(“- id: ...”)、单个概念,或含“pack”“concepts”“expect”的映射"}),
    "non-string-key": Code(
        ERROR, "A mapping key is not text (a number, boolean, null or a collection).",
        {"en": "this key is read as a YAML {yaml_type}, not text", "zh": "这个键被解析为 YAML {yaml_type},而不是文本"},
        {"en": "quote the key (\"yes\", \"1\") or write it as a plain word",
         "zh": "给键加上引号(\"yes\"、\"1\"),或写成普通单词"}),
    "duplicate-key": Code(
        ERROR, "A mapping has the same key twice; the second is ignored.",
        {"en": "key '{key}' appears twice in this mapping; the first is on line {first_line}",
         "zh": "键“{key}”在这个映射中出现了两次;第一次在第 {first_line} 行"},
        {"en": "keep one of the two '{key}' entries", "zh": "两个“{key}”只保留一个"}),
    "missing-field": Code(
        ERROR, "A required field (id, name, kind, summary) is missing or empty.",
        {"en": "'{field}' is missing or empty", "zh": "缺少“{field}”或其内容为空"},
        {"en": "add the field (docs/pack-format.md says what it holds)", "zh": "补上该字段(其内容见 docs/pack-format.md)"}),
    "unknown-field": Code(
        ERROR, "A concept, edge, reference or question has a field the format does not define.",
        {"en": "unknown field '{field}'", "zh": "未定义的字段“{field}”"},
        {"en": "fix the spelling or remove the field (see docs/pack-format.md)",
         "zh": "改正拼写或删除该字段(见 docs/pack-format.md)"}),
    "wrong-type": Code(
        ERROR, "A field has the wrong type of value, e.g. a list where text is expected.",
        {"en": "'{field}' must be {expected}, not {found}", "zh": "“{field}”应为{expected},而不是{found}"},
        {"en": "see docs/pack-format.md for the type each field takes", "zh": "各字段的类型见 docs/pack-format.md"}),
    "bad-value": Code(
        ERROR, "A field has a value outside its allowed range (minutes, year, url scheme, section).",
        {"en": "'{field}' is {value!r}, which is not {expected}", "zh": "“{field}”的值 {value!r} 不是{expected}"},
        {"en": "see docs/pack-format.md for the values each field allows", "zh": "各字段允许的取值见 docs/pack-format.md"}),
    "bad-id": Code(
        ERROR, "An id is not lowercase kebab-case ([a-z0-9]+ joined by single hyphens, at most 80 characters).",
        {"en": "'{field}' is {value!r}, which is not a valid id (lowercase kebab-case)",
         "zh": "“{field}”的值 {value!r} 不是合法的 id(小写字母、数字和单个连字符)"},
        {"en": "use lowercase words joined by single hyphens, e.g. batch-normalization",
         "zh": "用单个连字符连接的小写单词,例如 batch-normalization"}),
    "unknown-kind": Code(
        ERROR, "A kind is not in the kind vocabulary.",
        {"en": "kind {value!r} is not in the vocabulary", "zh": "类型 {value!r} 不在类型词表中"},
        {"en": "use one of the kinds in docs/pack-format.md", "zh": "使用 docs/pack-format.md 中列出的类型之一"}),
    "duplicate-id": Code(
        ERROR, "Two concepts share an id; the second is ignored.",
        {"en": "id '{id}' is already defined at {first}", "zh": "id“{id}”已在 {first} 定义"},
        {"en": "rename one of the two concepts or merge them", "zh": "重命名其中一个概念,或把两者合并"}),
    "unknown-edge-type": Code(
        ERROR, "A field looks like an edge but is not one of requires, variant-of, used-in, solves, causes.",
        {"en": "'{field}' is not an edge type", "zh": "“{field}”不是关系类型"},
        {"en": "use one of the edge types: requires, variant-of, used-in, solves, causes",
         "zh": "使用以下关系类型之一:requires、variant-of、used-in、solves、causes"}),
    "unknown-target": Code(
        ERROR, "An edge points at an id that no concept in the pack has.",
        {"en": "'{field}' points at unknown concept '{target}'", "zh": "“{field}”指向不存在的概念“{target}”"},
        {"en": "define that concept or fix the id", "zh": "定义该概念或改正 id"}),
    "self-loop": Code(
        ERROR, "A concept has an edge to itself.",
        {"en": "'{concept}' {field} itself", "zh": "“{concept}”的“{field}”指向了它自己"},
        {"en": "remove this entry", "zh": "删除这一条"}),
    "duplicate-edge": Code(
        WARNING, "The same edge (type and target) is written twice on one concept.",
        {"en": "'{concept}' {edge_type} '{target}' is written twice (first on line {first_line})",
         "zh": "“{concept}” {edge_type} “{target}”写了两次(第一次在第 {first_line} 行)"},
        {"en": "remove one of them", "zh": "删除其中一条"}),
    "study-cycle": Code(
        ERROR, "The study order has a cycle, so no concept on it can be learnt first.",
        {"en": "cycle: {chain}", "zh": "学习顺序成环:{chain}"},
        {"en": "remove or reverse one of these edges: {edges}", "zh": "删除或反转其中一条关系:{edges}"}),
    "variant-cycle": Code(
        ERROR, "Concepts are variants of each other in a circle.",
        {"en": "cycle: {chain}", "zh": "变体关系成环:{chain}"},
        {"en": "decide which concept is the original and remove the variant-of edge that points away from it: {edges}",
         "zh": "确定哪个概念是原始概念,删除从它指出的 variant-of 关系:{edges}"}),
    "solves-non-problem": Code(
        WARNING, "A solves edge points at a concept whose kind is not problem.",
        {"en": "'{source}' solves '{target}', whose kind is '{kind}', not 'problem'",
         "zh": "“{source}” solves “{target}”,但后者的类型是“{kind}”,不是“problem”"},
        {"en": "give the target kind: problem, or use requires or used-in instead",
         "zh": "把目标的类型改为 problem,或改用 requires 或 used-in"}),
    "causes-non-problem": Code(
        WARNING, "A causes edge points at a concept whose kind is not problem.",
        {"en": "'{source}' causes '{target}', whose kind is '{kind}', not 'problem'",
         "zh": "“{source}” causes “{target}”,但后者的类型是“{kind}”,不是“problem”"},
        {"en": "give the target kind: problem, or use requires or used-in instead",
         "zh": "把目标的类型改为 problem,或改用 requires 或 used-in"}),
    "duplicate-contrast": Code(
        WARNING, "The same pair of concepts has its contrast written twice (in either direction).",
        {"en": "the contrast of '{a}' and '{b}' is already written at {first}",
         "zh": "“{a}”与“{b}”的对比已在 {first} 写过"},
        {"en": "write each pair once, on either concept; merge the two texts",
         "zh": "每对概念只写一次(写在任一概念上即可);把两段文字合并"}),
    "unknown-d2l-page": Code(
        WARNING, "A d2l entry is not a page of Dive into Deep Learning (either edition).",
        {"en": "d2l page {page!r} is not a page of Dive into Deep Learning",
         "zh": "d2l 页面 {page!r} 不是《动手学深度学习》中的页面"},
        {"en": "use the page field of a line of the d2l sections list (kg/data/d2l_pages.json)",
         "zh": "使用 d2l 章节列表(kg/data/d2l_pages.json)中某一行的 page 字段"}),
    "missing-why-zh": Code(
        WARNING, "An edge has a reason (why) but no Chinese reason (why_zh), in a pack that provides Chinese.",
        {"en": "the '{edge_type}' edge from '{source}' to '{target}' has a 'why' but no 'why_zh'",
         "zh": "从“{source}”到“{target}”的“{edge_type}”关系有“why”但没有“why_zh”"},
        {"en": "add 'why_zh: ...' (the reason in Chinese) beside 'why'", "zh": "在“why”旁补上“why_zh: ...”(中文理由)"}),
    "expect-malformed": Code(
        ERROR, "A curriculum assertion (expect:) is not a mapping with one of before, not-in-plan, max-steps (two values) and a why.",
        {"en": "'{field}' {flaw}", "zh": "“{field}”{flaw}"},
        {"en": "write e.g. '- before: [backpropagation, cnn]' with 'why: ...' (before, not-in-plan or max-steps, two values)",
         "zh": "例如写成“- before: [backpropagation, cnn]”并附“why: ...”(before、not-in-plan 或 max-steps,各两个值)"}),
    "expect-unknown-concept": Code(
        ERROR, "A curriculum assertion names a concept id the pack does not have.",
        {"en": "the '{kind}' assertion names unknown concept '{concept}'", "zh": "“{kind}”断言提到了不存在的概念“{concept}”"},
        {"en": "use a concept id of the pack", "zh": "使用概念包中已有的概念 id"}),
    "expect-contradiction": Code(
        ERROR, "Two curriculum assertions cannot both hold (before [A, B] with not-in-plan [A, B] or before [B, A]).",
        {"en": "'{assertion}' contradicts '{earlier}' at {first}", "zh": "“{assertion}”与 {first} 处的“{earlier}”相矛盾"},
        {"en": "both cannot hold; keep the one a teacher would sign", "zh": "两者不能同时成立;保留教师认可的那一条"}),
    "expect-failed": Code(
        ERROR, "A curriculum assertion does not hold for the pack's study plans.",
        {"en": "{finding}", "zh": "{finding}"},
        {"en": "expected because: {why} {fix}", "zh": "断言的理由:{why} {fix}"}),
    "isolated-concept": Code(
        WARNING, "A concept has no edges in or out.",
        {"en": "'{concept}' has no edges", "zh": "“{concept}”没有任何关系"},
        {"en": "connect it with requires, used-in, variant-of, solves or causes, or remove it",
         "zh": "用 requires、used-in、variant-of、solves 或 causes 把它连接起来,或删除它"}),
    "missing-name-zh": Code(
        WARNING, "A concept has no Chinese name (name_zh).",
        {"en": "'{concept}' has no Chinese name", "zh": "“{concept}”没有中文名"},
        {"en": "add 'name_zh: ...'", "zh": "补上“name_zh: ...”"}),
    "missing-summary-zh": Code(
        WARNING, "A concept has no Chinese summary (summary_zh).",
        {"en": "'{concept}' has no Chinese summary", "zh": "“{concept}”没有中文简介"},
        {"en": "add 'summary_zh: ...'", "zh": "补上“summary_zh: ...”"}),
    "redundant-requires": Code(
        INFO, "A requires edge is already implied by a chain of other study-order edges.",
        {"en": "'{source}' requires '{target}' is already implied by other edges",
         "zh": "“{source}” requires “{target}”已由其他关系隐含"},
        {"en": "you may remove it; the study order stays the same", "zh": "可以删除它,学习顺序不变"}),
    "name-collision": Code(
        ERROR, "An alias is another concept's id or name, or a name is another concept's id (compared after Unicode normalisation), so a name would pick the wrong concept.",
        {"en": "'{field}' of '{concept}' is {value!r}, which is also the {other_has} of '{other}'",
         "zh": "“{concept}”的“{field}”是 {value!r},而它也是“{other}”的{other_has}"},
        {"en": "rename the alias or the name so that each names one concept",
         "zh": "修改别名或名称,使每个名称只指向一个概念"}),
    "duplicate-name": Code(
        ERROR, "Two concepts show the same name, English or Chinese (compared after Unicode normalisation, case folding, without invisible characters and reading look-alike Cyrillic or Greek letters as Latin), so a reader cannot tell them apart and the name finds only one of them.",
        {"en": "the {field} {value!r} of '{concept}' {same} the {other_field} {other_value!r} of '{other}' ({first})",
         "zh": "“{concept}”的“{field}”{value!r} 与“{other}”({first})的“{other_field}”{other_value!r} {same}"},
        {"en": "rename one of the two (e.g. add what tells them apart), or merge them if they are one concept",
         "zh": "重命名其中一个(例如加上区分二者的词),如果是同一个概念则合并"}),
    "invisible-character": Code(
        WARNING, "A name or alias holds an invisible character (zero-width space, joiner, bidi control), so two different names look the same.",
        {"en": "'{field}' of '{concept}' is {value!r}, which holds an invisible character",
         "zh": "“{concept}”的“{field}”是 {value!r},其中含有不可见字符"},
        {"en": "delete the invisible character: it makes two different names look the same",
         "zh": "删除该不可见字符:它会让两个不同的名称看起来一样"}),
    "mixed-script": Code(
        WARNING, "A word of a name or alias mixes Latin with Cyrillic or Greek letters (e.g. a Cyrillic е in a Latin word): a look-alike of another name.",
        {"en": "the word {word!r} in '{field}' of '{concept}' mixes scripts ({scripts})",
         "zh": "“{concept}”的“{field}”中的词 {word!r} 混用了多种文字({scripts})"},
        {"en": "retype the word in one script: it looks like another name", "zh": "用同一种文字重新输入该词:它看起来像另一个名称"}),
}

#: kg's own words that fill a field of a message, by name, in each language. A phrase may use the
#: problem's other fields (``{target}``). Checks pass them as ``Phrase("name")``.
PHRASES: dict[str, dict[str, str]] = {
    # io-error: why a path cannot be read (an operating-system reason is passed as written)
    "no-such-path": {"en": "no such file or folder", "zh": "文件或文件夹不存在"},
    "fifo": {"en": "a named pipe (FIFO), not a pack file or folder", "zh": "这是命名管道(FIFO),不是概念包文件或文件夹"},
    "device": {"en": "a device, not a pack file or folder", "zh": "这是设备文件,不是概念包文件或文件夹"},
    "socket": {"en": "a socket, not a pack file or folder", "zh": "这是套接字,不是概念包文件或文件夹"},
    "not-file-or-folder": {"en": "not a regular file or folder", "zh": "不是普通文件或文件夹"},
    "link-outside-pack": {"en": "a link to a file outside the pack", "zh": "这是指向概念包以外文件的链接"},
    "not-regular-file": {"en": "not a regular file (a device, pipe or socket)", "zh": "不是普通文件(而是设备、管道或套接字)"},
    # unsafe-archive: what is wrong with the member
    "backslash-or-nul": {"en": "has a backslash or NUL in its name", "zh": "的名称中含有反斜杠或空字符"},
    "absolute-path": {"en": "is an absolute path", "zh": "是绝对路径"},
    "outside-folder": {"en": "would be written outside the pack folder", "zh": "会被写到概念包文件夹之外"},
    "symbolic-link": {"en": "is a symbolic link", "zh": "是符号链接"},
    "special-file": {"en": "is not a regular file", "zh": "不是普通文件"},
    "encrypted": {"en": "is encrypted", "zh": "已加密"},
    "duplicate-member": {"en": "is in the archive twice", "zh": "在压缩包中出现了两次"},
    # archive-too-large: which limit, by how much
    "archive-bytes": {"en": "the archive is {size:,} bytes; the limit is {limit:,}", "zh": "压缩包有 {size:,} 字节,上限为 {limit:,} 字节"},
    "archive-members": {"en": "the archive has {count:,} members; the limit is {limit:,}", "zh": "压缩包有 {count:,} 个成员,上限为 {limit:,} 个"},
    "member-over-limits": {"en": "{member!r} takes the archive over the size limits ({per_file:,} bytes a file, {total:,} in all)",
                           "zh": "{member!r} 使压缩包超出大小上限(每个文件 {per_file:,} 字节,总共 {total:,} 字节)"},
    "member-decompresses-past": {"en": "{member!r} decompresses past the size limits ({per_file:,} bytes a file, {total:,} in all)",
                                 "zh": "{member!r} 解压后超出大小上限(每个文件 {per_file:,} 字节,总共 {total:,} 字节)"},
    "member-ratio": {"en": "{member!r} decompresses to more than {ratio} times its compressed size",
                     "zh": "{member!r} 解压后超过其压缩大小的 {ratio} 倍"},
    # bad-archive: what the zip reader found (a reason it gives in other words is passed as it gives it)
    "not-a-zip": {"en": "the file is not a zip archive", "zh": "该文件不是 zip 压缩包"},
    "zip-cut-short": {"en": "the archive ends too early (cut short)", "zh": "压缩包提前结束(不完整)"},
    "zip-damaged": {"en": "a member's data is damaged", "zh": "某个成员的数据已损坏"},
    # limit-exceeded: what is too large, in what unit, and what kg does about it
    "the-pack": {"en": "the pack", "zh": "概念包"},
    "the-file": {"en": "the file", "zh": "该文件"},
    "the-edge-list": {"en": "this edge list", "zh": "这个关系列表"},
    "unit-files": {"en": "files", "zh": "个文件"},
    "unit-bytes": {"en": "bytes", "zh": "字节"},
    "unit-nesting": {"en": "levels of nesting", "zh": "层嵌套"},
    "unit-edges": {"en": "edges", "zh": "条关系"},
    "later-files-skipped": {"en": "the files after the limit are skipped", "zh": "超出上限的文件被跳过"},
    "this-and-later-skipped": {"en": "this file and later ones are skipped", "zh": "该文件及其后的文件被跳过"},
    "file-not-read": {"en": "it is not read", "zh": "该文件未被读取"},
    "rest-ignored": {"en": "the rest are ignored", "zh": "其余的被忽略"},
    "unit-errors": {"en": "errors", "zh": "个错误"},
    "files-not-read": {"en": "this file and the {later:,} after it are not read", "zh": "该文件及其后的 {later:,} 个文件未被读取"},
    "entries-not-loaded": {"en": "checking stops here: this entry and the {later:,} after it are not loaded",
                           "zh": "检查到此为止:该条目及其后的 {later:,} 个条目未被载入"},
    # bad-encoding
    "invalid-byte": {"en": "the byte is not valid in this encoding", "zh": "该字节在此编码中无效"},
    "control-character": {"en": "control and invisible characters are not allowed in YAML", "zh": "YAML 中不允许出现控制字符和不可见字符"},
    # bad-shape: which part, and what it holds
    "the-file-shape": {"en": "the file", "zh": "文件"},
    "the-concepts-value": {"en": "'concepts'", "zh": "“concepts”"},
    "a-concept-entry": {"en": "an entry of the concept list", "zh": "概念列表中的条目"},
    "concepts": {"en": "a list of concepts, one concept, or 'pack' and 'concepts'", "zh": "概念列表、单个概念,或“pack”与“concepts”"},
    "concept-list": {"en": "a list of concepts", "zh": "概念列表"},
    "concept-mapping": {"en": "a concept (a mapping of fields)", "zh": "概念(由字段组成的映射)"},
    "mapping-without-id": {"en": "a mapping without 'id' or 'concepts'", "zh": "不含“id”或“concepts”的映射"},
    # wrong-type and bad-shape: the type a value must have, and the type it has
    "text": {"en": "text", "zh": "文本"},
    "empty-text": {"en": "empty text", "zh": "空文本"},
    "mapping": {"en": "a mapping", "zh": "映射"},
    "list": {"en": "a list", "zh": "列表"},
    "id": {"en": "an id", "zh": "id"},
    "list-of-text": {"en": "a list of text", "zh": "文本列表"},
    "list-of-mappings": {"en": "a list of mappings", "zh": "映射列表"},
    "d2l-page-list": {"en": "a list of d2l page keys", "zh": "d2l 页面键的列表"},
    "section-map": {"en": "a mapping of section -> {{name, name_zh}}", "zh": "“章节 -> {{name, name_zh}}”形式的映射"},
    "section-names": {"en": "a mapping {{name, name_zh}}", "zh": "{{name, name_zh}} 形式的映射"},
    "edge-list": {"en": "a list of ids or {{to, why}} mappings", "zh": "id 或 {{to, why}} 映射组成的列表"},
    "edge-entry": {"en": "an id or a mapping {{to, why}}", "zh": "id 或 {{to, why}} 形式的映射"},
    "contrast-list": {"en": "a list of {{to, how, how_zh}} mappings", "zh": "{{to, how, how_zh}} 映射组成的列表"},
    # bad-value: what a value must be
    "format-version": {"en": "a pack format this kg reads (1)", "zh": "本版 kg 能读取的概念包格式(1)"},
    "dotted-number": {"en": "a dotted number such as \"7.4\"", "zh": "形如 \"7.4\" 的点分数字"},
    "minutes-range": {"en": "a whole number from 1 to 100000", "zh": "介于 1 到 100000 之间的整数"},
    "d2l-page-key": {"en": "a page key relative to the book, e.g. 'chapter_convolutional-modern/resnet.html' (no https://)",
                     "zh": "相对于全书的页面键,例如“chapter_convolutional-modern/resnet.html”(不带 https://)"},
    "year-range": {"en": "a year from 1600 to 2100", "zh": "介于 1600 到 2100 之间的年份"},
    "http-url": {"en": "an http:// or https:// address", "zh": "http:// 或 https:// 地址"},
    # name-collision: what the colliding text is of the other concept
    "id-of": {"en": "id", "zh": "id"},
    "name-or-id-of": {"en": "name or id", "zh": "名称或 id"},
    # duplicate-name: written the same, or only looking the same
    "is-the-same-as": {"en": "is", "zh": "相同"},
    "looks-the-same-as": {"en": "looks the same as", "zh": "看起来相同"},
    # expect-malformed: what is wrong with the entry
    "not-a-list-of-assertions": {"en": "must be a list of assertions", "zh": "应为断言列表"},
    "not-an-assertion-mapping": {"en": "must be a mapping such as {{before: [A, B], why: ...}}", "zh": "应为形如 {{before: [A, B], why: ...}} 的映射"},
    "not-an-assertion-key": {"en": "is not a key of an assertion", "zh": "不是断言的键"},
    "not-one-kind": {"en": "must have exactly one of before, not-in-plan, max-steps", "zh": "必须恰好含有 before、not-in-plan、max-steps 之一"},
    "not-text": {"en": "must be text", "zh": "应为文本"},
    "no-why": {"en": "is missing: say in one line why a teacher expects it", "zh": "缺失:请用一句话说明教师为何这样要求"},
    "not-two-values": {"en": "must be a list of two values", "zh": "应为含两个值的列表"},
    "not-a-step-count": {"en": "must end with a positive whole number of steps", "zh": "的第二个值应为正整数步数"},
    "same-concept-twice": {"en": "names the same concept twice; an assertion relates two different concepts",
                           "zh": "两次提到同一个概念;断言应涉及两个不同的概念"},
    # expect-failed: what the plan shows, and what to change
    "not-in-plan": {"en": "'{subject}' is not in the study plan of '{target}'", "zh": "“{subject}”不在“{target}”的学习计划中"},
    "in-plan": {"en": "'{subject}' is in the study plan of '{target}' (via {chain})", "zh": "“{subject}”在“{target}”的学习计划中(经由 {chain})"},
    "plan-too-long": {"en": "the study plan of '{target}' has {steps} steps, more than {limit}",
                      "zh": "“{target}”的学习计划有 {steps} 步,多于 {limit} 步"},
    "add-edges": {"en": "Add the edges that make '{target}' need '{subject}'.", "zh": "请添加使“{target}”需要“{subject}”的关系。"},
    "remove-edge": {"en": "Remove or retype the edge that drags it in.", "zh": "请删除或改写把它引入计划的那条关系。"},
    "shorten-plan": {"en": "'kg audit' lists the edges that pull the most concepts in.", "zh": "“kg audit”会列出引入概念最多的关系。"},
}

#: The YAML parsers' (libyaml's and PyYAML's) words for what they were reading, in Chinese.
YAML_CONSTRUCTS_ZH = {
    "flow sequence": "流式序列", "flow mapping": "流式映射", "block mapping": "块映射", "block collection": "块集合",
    "block scalar": "块标量", "quoted scalar": "带引号的标量", "double-quoted scalar": "双引号标量",
    "single-quoted scalar": "单引号标量", "plain scalar": "普通标量", "simple key": "简单键", "node": "节点",
    "block node": "块节点", "flow node": "流式节点", "anchor": "锚点", "alias": "别名", "tag": "标签",
    "directive": "指令", "mapping": "映射", "sequence": "序列", "key": "键", "'-' indicator": "“-”指示符",
    "node content": "节点内容", "hexdecimal number": "十六进制数字", "comment or line break": "注释或换行",
    "a comment or a line break": "注释或换行", "alphabetic or numeric character": "字母或数字",
    "<block end>": "块结束", "<stream end>": "文件结尾", "<document start>": "文档开始(---)",
    "'<stream end>'": "文件结尾", "'<block end>'": "块结束", "'<block mapping start>'": "新的块映射",
    "'<block sequence start>'": "新的块序列", "'<document start>'": "文档开始(---)",
    "indentation indicator in the range 1-9": "1 到 9 之间的缩进指示符",
    "escape sequence of 2 hexadecimal numbers": "2 位十六进制数字的转义序列",
    "escape sequence of 4 hexadecimal numbers": "4 位十六进制数字的转义序列",
    "escape sequence of 8 hexadecimal numbers": "8 位十六进制数字的转义序列",
}

#: What the YAML parsers say went wrong (libyaml's and PyYAML's wording), matched whole, in Chinese;
#: ``{0}`` is a construct (:data:`YAML_CONSTRUCTS_ZH`, else as the parser wrote it) and ``{1}`` what it found.
YAML_COMPLAINTS_ZH = [
    (r"(?:did not|could not) find expected (.+)", "没有找到应有的{0}"),
    (r"expected (.+), but (?:found|got) (.+)", "应为{0},却遇到{1}"),
    (r"found unexpected end of stream", "文件意外结束"),
    (r"mapping values are not allowed (?:here|in this context)", "此处不允许出现映射的值(常见原因:值中有未加引号的“: ”)"),
    (r"(?:block )?sequence entries are not allowed (?:here|in this context)", "此处不允许出现序列条目"),
    (r"mapping keys are not allowed (?:here|in this context)", "此处不允许出现映射的键"),
    (r"found character (.+) that cannot start any token", "遇到不能作为任何记号开头的字符 {0}"),
    (r"found character that cannot start any token", "遇到不能作为任何记号开头的字符"),
    (r"found unknown escape character(?: (.+))?", "遇到未知的转义字符 {0}"),
    (r"found an indentation indicator equal to 0", "缩进指示符不能为 0"),
    (r"found a tab character (?:that violates? indentation|where an indentation space is expected)",
     "遇到违反缩进的制表符(缩进只能用空格)"),
    (r"found duplicate %?YAML directive", "YAML 指令重复"),
    (r"found unexpected (.+)", "遇到意外的 {0}"),
]


def yaml_complaint(detail: str) -> Bilingual:
    """The YAML parser's complaint as it wrote it, with a Chinese rendering of the parts kg knows
    ("while parsing a flow sequence: did not find expected ',' or ']' (2:1)"); a part it does not
    know stays as the parser wrote it.

    >>> print(yaml_complaint("while parsing a flow sequence: did not find expected ',' or ']' (2:1)").in_lang("zh"))
    解析流式序列时:没有找到应有的“,”或“]”(2:1)
    >>> print(yaml_complaint("while parsing a block mapping: expected <block end>, but found '-' (2:1)").in_lang("zh"))
    解析块映射时:应为块结束,却遇到'-'(2:1)
    """
    import re

    match = re.fullmatch(r"((?:while (?:parsing|scanning|composing) (?:an? )?(.+?)(?::| (?=found|did|could|expected)) ?)?)(.+?)( \(\d+:\d+\))?",
                         detail.strip())
    if match is None:
        return Bilingual(detail)
    prefix, construct, complaint, position = match.groups()
    known = YAML_CONSTRUCTS_ZH.get(construct or "")
    parts = [f"解析{known}时:" if known else "读取下一个记号时:" if construct == "for the next token" else prefix]
    for pattern, chinese in YAML_COMPLAINTS_ZH:
        found = re.fullmatch(pattern, complaint)
        if found:
            parts.append(chinese.format(*(_construct_zh(group or "") for group in found.groups())).rstrip())
            break
    else:
        if parts == [prefix]:  # nothing kg knows: as the parser wrote it
            return Bilingual(detail)
        parts.append(complaint)
    return Bilingual(detail, "".join(parts) + (f"({position.strip()[1:-1]})" if position else ""))


def _construct_zh(text: str) -> str:
    """A construct or token the parser names, in Chinese where kg knows it: "',' or ']'" reads “,”或“]”."""
    import re

    if text in YAML_CONSTRUCTS_ZH:
        return YAML_CONSTRUCTS_ZH[text]
    either = re.fullmatch(r"'(.+?)' or '(.+?)'", text)
    return f"“{either[1]}”或“{either[2]}”" if either else text


#: The hint of a problem that carries a ``suggestion`` field (the closest known word).
DID_YOU_MEAN = {"en": "did you mean '{suggestion}'?", "zh": "是否应为“{suggestion}”?"}

#: Records that stand for problems not listed one by one (their code is the code of what they count).
SUMMARIES: dict[str, Code] = {
    "more-of-code": Code(
        "", "More problems of one code than a pack lists.",
        {"en": "'{code}' problems not listed: {count:,} more (the first at {first})",
         "zh": "未列出的“{code}”问题:另有 {count:,} 个(第一个在 {first})"},
        {"en": "fix the ones listed and check again", "zh": "修正已列出的问题后重新检查"}),
}


class Phrase(str):
    """The name of one of kg's own phrases (:data:`PHRASES`) passed as a field: shown in the message's language.

    >>> Phrase("text"), Phrase("txet")
    Traceback (most recent call last):
    ...
    ValueError: unknown phrase 'txet': add it to kg.problems.PHRASES
    """

    __slots__ = ()

    def __new__(cls, name: str):
        if name not in PHRASES:
            raise ValueError(f"unknown phrase {name!r}: add it to kg.problems.PHRASES")
        return super().__new__(cls, name)

    def __reduce__(self):  # pickled (the load cache) as the name, rebuilt as a Phrase
        return (Phrase, (str(self),))


#: The operating system's common reasons for an ``io-error``, in Chinese, by errno (the English is the system's own).
OS_REASONS_ZH = {errno.EACCES: "没有读取权限", errno.EPERM: "操作不被允许", errno.ENOENT: "文件或文件夹不存在",
                 errno.ELOOP: "符号链接层数过多(链接成环)", errno.ENAMETOOLONG: "文件名过长", errno.EISDIR: "这是文件夹,而不是文件",
                 errno.ENOTDIR: "路径中的某一部分不是文件夹", errno.ENOSPC: "磁盘空间不足", errno.EIO: "磁盘输入/输出错误"}


def os_reason(err: OSError) -> "Bilingual":
    """Why the operating system refused, for an ``io-error``: the system's own words (never the path: it may
    name a temporary folder), with the Chinese for the common reasons.

    >>> reason = os_reason(PermissionError(13, "Permission denied"))
    >>> reason, reason.in_lang("zh"), os_reason(OSError(0, "Odd")).in_lang("zh")
    ('Permission denied', '没有读取权限', 'Odd')
    """
    return Bilingual(err.strerror or type(err).__name__, OS_REASONS_ZH.get(getattr(err, "errno", None), ""))


class Bilingual(str):
    """A field's text in both languages: pack text and its ``_zh`` twin (an assertion's ``why``/``why_zh``), or
    the YAML parser's complaint and its Chinese rendering (:func:`yaml_complaint`). The English text is the
    value (as ``kg check --json`` shows it, the Chinese beside it as ``<field>_zh``); the Chinese one is
    shown in Chinese when there is one.

    >>> why = Bilingual("B builds on A.", "乙建立在甲之上。")
    >>> why, why.in_lang("zh"), Bilingual("Only English.").in_lang("zh")
    ('B builds on A.', '乙建立在甲之上。', 'Only English.')
    """

    def __new__(cls, en: str, zh: str = ""):
        text = super().__new__(cls, en)
        text.zh = zh
        return text

    def in_lang(self, lang: str) -> str:
        """The text in ``lang``; the English one where no translation is written."""
        from .text import field_text

        return field_text({"text": str(self), "text_zh": self.zh}, "text", lang)

    def __reduce__(self):  # pickled (the load cache) with both texts
        return (Bilingual, (str(self), self.zh))


@dataclass(frozen=True)
class Problem:
    """One problem found in a pack: where, which code, and the fields its message is made of.

    ``summary`` names a template of :data:`SUMMARIES` when the record counts problems that are not listed.

    >>> p = Problem("a.yaml", 3, 5, "self-loop", (("concept", "relu"), ("field", "requires")))
    >>> p.severity, p.message, p.hint
    ('error', "'relu' requires itself", 'remove this entry')
    >>> p.message_in("zh")
    '“relu”的“requires”指向了它自己'
    """

    path: str
    line: int
    col: int
    code: str
    fields: tuple = ()
    summary: str = ""

    def __post_init__(self):
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}: add it to kg.problems.CODES")

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    @property
    def message(self) -> str:
        """The message in English."""
        return self.message_in("en")

    @property
    def hint(self) -> str:
        """How to fix it, in English."""
        return self.hint_in("en")

    def message_in(self, lang: str = "en") -> str:
        return _fill(self._entry().message, self.fields, lang)

    def hint_in(self, lang: str = "en") -> str:
        if not self.summary and dict(self.fields).get("suggestion"):
            return _fill(DID_YOU_MEAN, self.fields, lang)
        return _fill(self._entry().hint, self.fields, lang)

    def _entry(self) -> Code:
        return SUMMARIES[self.summary] if self.summary else CODES[self.code]

    def format(self, lang: str = "en") -> str:
        """``path:line:col: severity code: message`` and the hint on the next line, as a compiler prints them."""
        from .text import word

        text = word("problem_line", lang, path=self.path, line=self.line, col=self.col,
                    severity=word(f"check_{self.severity}", lang), code=self.code, message=self.message_in(lang))
        hint = self.hint_in(lang)
        return text + ("\n" + word("problem_hint", lang, hint=hint) if hint else "")

    def to_dict(self) -> dict:
        """The record for ``kg check --json``: message and hint in English, and the fields they are made of."""
        fields = {}
        for name, value in self.fields:
            fields[name] = str(value) if isinstance(value, Bilingual) else value
            if isinstance(value, Bilingual) and value.zh:  # the Chinese text beside the English
                fields[f"{name}_zh"] = value.zh
        return {"path": self.path, "line": self.line, "col": self.col, "code": self.code, "message": self.message,
                "hint": self.hint, "severity": self.severity, "fields": fields}


def _fill(template: dict[str, str], fields: tuple, lang: str) -> str:
    """``template`` in ``lang`` (English when it has none) filled with ``fields``; phrases first, in the same language."""
    values = dict(fields)
    filled = {name: (PHRASES[value].get(lang) or PHRASES[value]["en"]).format(**values) if isinstance(value, Phrase)
              else value.in_lang(lang) if isinstance(value, Bilingual) else value
              for name, value in values.items()}
    return (template.get(lang) or template["en"]).format(**filled)


def problem(code: str, where: tuple[str, int, int], **fields) -> Problem:
    """The problem ``code`` at ``where`` (path, line, col) with the fields of the code's templates.

    A ``suggestion`` (the closest known word, or None) makes the hint "did you mean ...?".

    >>> problem("unknown-kind", ("a.yaml", 4, 9), value="activaton", suggestion="activation").hint
    "did you mean 'activation'?"
    >>> problem("unknown-kind", ("a.yaml", 4, 9), value="zzz", suggestion=None).hint
    'use one of the kinds in docs/pack-format.md'
    """
    if "suggestion" in fields and not fields["suggestion"]:
        del fields["suggestion"]  # no close match: the code's own hint
    path, line, col = where
    return Problem(path, line, col, code, tuple(fields.items()))


def not_listed(code: str, first: tuple[str, int, int], count: int) -> Problem:
    """One record, of ``code``, at ``first`` (path, line, col): the first of ``count`` problems of that code not listed."""
    path, line, col = first
    return Problem(path, line, col, code, (("count", count), ("code", code), ("first", f"{path}:{line}")), "more-of-code")


def not_listed_by_code(dropped: list[Problem]) -> list[Problem]:
    """One :func:`not_listed` record per code among ``dropped``, at the first of each: a summary keeps the
    severity of what it counts (warnings past a file's cap do not turn into an error).

    >>> dropped = [problem("empty-file", ("a.yaml", 1, 1)), problem("empty-file", ("b.yaml", 1, 1))]
    >>> [(record.code, record.severity, record.message) for record in not_listed_by_code(dropped)]
    [('empty-file', 'warning', "'empty-file' problems not listed: 2 more (the first at a.yaml:1)")]
    """
    first: dict[str, Problem] = {}
    counts: dict[str, int] = {}
    for dropped_problem in dropped:
        first.setdefault(dropped_problem.code, dropped_problem)
        counts[dropped_problem.code] = counts.get(dropped_problem.code, 0) + 1
    return [not_listed(code, (record.path, record.line, record.col), counts[code]) for code, record in first.items()]


def placeholders(template: str) -> set[tuple[str, str | None]]:
    """(field, conversion) of every placeholder of a ``str.format`` template.

    >>> sorted(placeholders("{a!r} and {b:,}"))
    [('a', 'r'), ('b', None)]
    """
    return {(name, conversion) for _, name, _, conversion in Formatter().parse(template) if name is not None}


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file, line, column order; ties by code."""
    return sorted(problems, key=lambda p: (p.path, p.line, p.col, p.code, p.message))


def count_by_severity(problems: Iterable[Problem]) -> dict[str, int]:
    counts = {ERROR: 0, WARNING: 0, INFO: 0}
    for problem in problems:
        counts[problem.severity] += 1
    return counts


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice closest to ``word``, or None when none is close enough.

    >>> did_you_mean("varient-of", ["variant-of", "requires"]), did_you_mean("zzz", ["requires"])
    ('variant-of', None)
    """
    # A dict is matched on its keys: rapidfuzz would otherwise compare against the dict's values.
    choices = list(choices) if isinstance(choices, dict) or not isinstance(choices, (list, tuple, set, frozenset)) else choices
    if len(choices) > 200:  # difflib is quadratic-ish; rapidfuzz stays fast on 100k ids
        from rapidfuzz import fuzz, process

        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff * 100)
        return best[0] if best else None
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def codes_table() -> str:
    """The README's table of problem codes, one row per code of :data:`CODES`, in table order."""
    rows = ["| code | severity | meaning |", "|---|---|---|"]
    rows += [f"| `{code}` | {entry.severity} | {entry.description} |" for code, entry in CODES.items()]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # python -m kg.problems > table.md: the table for README.md
    print(codes_table(), end="")
