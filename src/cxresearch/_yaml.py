"""Read YAML keeping the line and column of every key and value.

PyYAML's composer (with the libyaml C parser when available) gives a node tree with
positions; we turn it into :class:`YMap`, :class:`YSeq` and :class:`YScalar` so that
checks made long after parsing can still say *where* a value was written. Scalars keep
their raw text: YAML 1.1 would read ``no`` as ``False`` and ``1.10`` as ``1.1``, which is
wrong for choice values and version numbers, so each field decides how to read its text.
Duplicate keys, which PyYAML silently overwrites, are reported.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import yaml

from .errors import Code, InstrumentError, Problem, Severity

__all__ = ["YMap", "YScalar", "YSeq", "YNode", "Source", "describe_node", "parse_yaml",
           "read_source"]

MAX_BYTES = 20 * 1024 * 1024
MAX_NODES = 3_000_000
MAX_DEPTH = 200

try:  # the C parser is ~10x faster; fall back silently where libyaml is missing
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class YScalar:
    """A scalar with its raw text, resolved YAML tag and 1-based position."""

    raw: str
    tag: str
    line: int
    column: int
    quoted: bool
    end_line: int = 0
    block: bool = False

    @property
    def multiline(self) -> bool:
        """True for block scalars (``|``, ``>``) and values that go on over several lines."""
        return self.block or self.end_line > self.line

    @property
    def is_null(self) -> bool:
        return self.tag.endswith(":null") and not self.quoted

    def __str__(self) -> str:
        return self.raw


class YMap(dict[str, "YNode"]):
    """A mapping whose keys are strings; ``key_pos[key]`` is where the key was written."""

    line: int
    column: int
    key_pos: dict[str, tuple[int, int]]


class YSeq(list["YNode"]):
    """A sequence with its position."""

    line: int
    column: int


YNode = Union[YMap, YSeq, YScalar]


@dataclass(frozen=True)
class Source:
    """Decoded text of an input file with its name, digest and any decoding warning."""

    name: str
    text: str
    sha256: str
    warnings: tuple[Problem, ...] = ()


def describe_node(node: Any) -> str:
    """What a node holds, for an error's ``given=``: 'nothing', 'a mapping', 'a list',
    'empty', or the quoted text (cut after 60 characters)."""
    if node is None:
        return "nothing"
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    if isinstance(node, YScalar):
        if node.is_null:
            return "empty"
        return f"'{node.raw}'" if len(node.raw) <= 60 else f"'{node.raw[:57]}...'"
    return type(node).__name__


def read_source(path: str | Path) -> Source:
    """Read a text file as UTF-8 (with or without BOM), falling back to Windows-1252.

    A Windows-1252 file is read (Dutch text saved from old editors often is) with a
    warning that says how to save it as UTF-8.
    """
    p = Path(path)
    name = str(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InstrumentError.single(
            Code.UNREADABLE_FILE, "file not found", file=name,
            fix="check the path; relative paths start from the current directory "
            f"({Path.cwd()})")
    except IsADirectoryError:
        raise InstrumentError.single(
            Code.UNREADABLE_FILE, "this is a folder, not a file", file=name,
            fix="give the instrument's .yaml file, or use 'cxresearch survey validate' on "
            "each file in the folder")
    except OSError as exc:
        raise InstrumentError.single(Code.UNREADABLE_FILE, f"cannot read file: {exc.strerror}",
                                     file=name)
    if len(data) > MAX_BYTES:
        raise InstrumentError.single(
            Code.TOO_LARGE, f"file is {len(data) / 1e6:.1f} MB; the limit is "
            f"{MAX_BYTES / 1e6:.0f} MB", file=name,
            fix="split the instrument into several files")
    digest = hashlib.sha256(data).hexdigest()
    warnings: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode" as some editors save it
        try:
            text16 = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InstrumentError.single(Code.ENCODING, "the file looks like UTF-16 but cannot "
                                         "be decoded", file=name, fix="save the file as UTF-8")
        warn = Problem(Code.ENCODING, "file is UTF-16; it was read, but other tools may not",
                       file=name, severity=Severity.WARNING, fix="save the file as UTF-8")
        return Source(name, text16, digest, (warn,))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InstrumentError.single(
                Code.ENCODING, f"byte 0x{data[exc.start]:02x} is not valid UTF-8 or "
                "Windows-1252 text", file=name, line=line,
                fix="save the file as UTF-8 text")
        warnings.append(Problem(
            Code.ENCODING, "file is not UTF-8; it was read as Windows-1252", file=name,
            line=line, severity=Severity.WARNING,
            fix="save the file as UTF-8 so that every tool reads it the same way"))
    return Source(name, text, digest, tuple(warnings))


def parse_yaml(text: str, name: str = "<text>") -> YNode | None:
    """Parse one YAML document into position-keeping nodes (``None`` when empty)."""
    if "\t" in text:
        m = re.search(r"^( *)\t", text, re.MULTILINE)
        if m:
            line = text[: m.start()].count("\n") + 1
            raise InstrumentError.single(
                Code.YAML_SYNTAX, "a tab is used for indentation; YAML allows only spaces",
                file=name, line=line, column=len(m.group(1)) + 1,
                fix="replace the tab by spaces (two per level)")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        raise InstrumentError.single(
            Code.YAML_SYNTAX, f"invalid YAML: {what}", file=name,
            line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
            fix="check indentation and quoting around this place; text containing ': ' "
            "or starting with '{', '[', '*', '&', '!', '%' or '@' must be quoted")
    except yaml.YAMLError as exc:
        raise InstrumentError.single(Code.YAML_SYNTAX, f"invalid YAML: {exc}", file=name)
    if node is None:
        return None
    problems: list[Problem] = []
    try:
        size = _expanded_size(node, {}, 0)
    except InstrumentError as exc:
        raise InstrumentError([dataclasses.replace(p, file=name) for p in exc.problems]) from None
    if size > MAX_NODES:  # aliases can make a small file expand without bound
        raise InstrumentError.single(
            Code.TOO_LARGE, f"the document expands to more than {MAX_NODES:,} values",
            file=name, fix="remove repeated aliases ('*name'), or split the instrument")
    budget = [MAX_NODES]
    result = _convert(node, name, problems, 0, budget)
    if problems:
        raise InstrumentError(problems)
    return result


def _expanded_size(node: yaml.Node, memo: dict[int, int], depth: int) -> int:
    """How many values ``node`` stands for once aliases are expanded (linear time)."""
    key = id(node)
    if key in memo:
        return memo[key]
    if depth > MAX_DEPTH:
        mark = node.start_mark
        raise InstrumentError.single(Code.YAML_SYNTAX, f"the YAML is nested more than "
                                     f"{MAX_DEPTH} levels deep", line=mark.line + 1,
                                     column=mark.column + 1,
                                     fix="an instrument needs about ten levels; check the "
                                     "indentation or brackets here")
    memo[key] = MAX_NODES + 1  # a cycle counts as too large
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(item, memo, depth + 1) for item in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(v, memo, depth + 1) + 1 for _, v in node.value)
    memo[key] = min(size, MAX_NODES + 1)
    return memo[key]


def _convert(node: yaml.Node, name: str, problems: list[Problem], depth: int,
             budget: list[int]) -> YNode:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    budget[0] -= 1
    if budget[0] < 0:  # aliases can make a small file expand without bound
        raise InstrumentError.single(
            Code.TOO_LARGE, f"the document expands to more than {MAX_NODES:,} values",
            file=name, line=line, column=column,
            fix="remove repeated aliases ('*name'), or split the instrument")
    if depth > 200:
        raise InstrumentError.single(Code.YAML_SYNTAX, "YAML nested too deeply", file=name,
                                     line=line, column=column)
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark.line + 1 - (1 if node.end_mark.column == 0 else 0)
        return YScalar(str(node.value), node.tag, line, column,
                       node.style in ("'", '"', "|", ">"), end, node.style in ("|", ">"))
    if isinstance(node, yaml.SequenceNode):
        seq = YSeq(_convert(item, name, problems, depth + 1, budget) for item in node.value)
        seq.line, seq.column = line, column
        return seq
    if isinstance(node, yaml.MappingNode):
        mapping = YMap()
        mapping.line, mapping.column = line, column
        mapping.key_pos = {}
        for key_node, value_node in node.value:
            kl, kc = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(Code.WRONG_TYPE, "a key must be plain text", file=name,
                                        line=kl, column=kc))
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(Problem(Code.YAML_SYNTAX, "merge keys ('<<') are not supported",
                                        file=name, line=kl, column=kc,
                                        fix="write the keys out in full"))
                continue
            key = str(key_node.value)
            if key in mapping:
                first = mapping.key_pos[key]
                problems.append(Problem(
                    Code.DUPLICATE_KEY, f"key '{key}' is given twice (first on line {first[0]})",
                    file=name, line=kl, column=kc, fix="remove or rename one of them"))
                continue
            mapping.key_pos[key] = (kl, kc)
            mapping[key] = _convert(value_node, name, problems, depth + 1, budget)
        return mapping
    raise InstrumentError.single(Code.YAML_SYNTAX, f"unsupported YAML node {node.tag}",
                                 file=name, line=line, column=column)  # pragma: no cover
