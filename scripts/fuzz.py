"""Fuzz ingest and validate with mutants of the seed documents.

Usage, from the repository root:

    .venv/bin/python -m scripts.fuzz [--texts N] [--binaries N] [--seed S] [--workers N]
                                     [--minutes M] [--limit SECONDS] [--findings DIR]
    .venv/bin/python -m scripts.fuzz --replay fuzz-findings/traceback/…/text-cells-12.txt
    .venv/bin/python -m scripts.fuzz --seed 0 --case text:12 binary:3

Each input is made from the seeds (tests/fixtures: the cells seed of 2024, the
flow seed of 2019, and the cells seed printed as tab-separated rows): text mutants
(lines deleted, duplicated, swapped; Unicode controls, zero-width and combining
marks, huge whitespace runs; amounts changed, cells deleted, 注： lines and titles
inside tables, tables printed twice; re-encoded as GBK, Big5, UTF-16; truncated;
random bytes) and byte mutants of an .xlsx, an .xls and PDFs printed from the
seeds at run time. Input ``i`` depends only on the seed and ``i``, so a finding
replays from its number as well as from the saved file.

Every input goes the way ``juesuan ingest`` takes it (read, choose the folder,
write the package, print the report) and then through ``validate_package``
(with frictionless for every ``--frictionless-every``-th package). Each is
classified:

- ok: a package was written and validated;
- refused: a SourceError (the file, and where, and what was expected) — including
  a library's error on damaged bytes inside a reader, which ingest wraps by design
  (counted apart as "refused by the safety net");
- traceback: any other exception, or one raised in juesuan's own code that a safety
  net (ingest's, validate_package's) turned into a message without a place;
- hang: more than ``--limit`` seconds of CPU (default 5; CPU, so a busy shared
  machine does not make a slow input a hang), or a worker that stops answering.

For every input read, each amount printed between the tables part's heading
(第二部分) and the next part's (or further, to where ingest's own tables end) must
be a fact of the package or stand in one of its notes (notes.csv); one that is in
neither is a silent loss. An amount in prose (282.91万元, 59.20%) is narrative,
not a cell. Amounts in the facts that the tables part does not print (as
amounts or whole numbers) are inventions. Findings are saved under
fuzz-findings/ (gitignored) with the input, what was done to it and the frames.
Exit status: 0 nothing found, 1 a traceback, a hang or a loss.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import difflib
import io
import json
import logging
import multiprocessing
import os
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from multiprocessing.connection import Connection, wait
from pathlib import Path

from tests.seeds import HUANGPI, QIAOKOU, source_of

from juesuan.errors import SourceError
from juesuan.text import AMOUNT as AMOUNT_PATTERN
from juesuan.text import PRINTED_AMOUNT

LIMIT = 5.0
"""CPU seconds an input may take before it is a hang."""
WALL_LIMIT = 60.0
"""Seconds of wall time after which a worker that has not answered is killed."""
FINDINGS = Path("fuzz-findings")
SAMPLES = 3
"""Inputs saved per distinct finding."""

# ------------------------------------------------------------------------- seeds


@dataclass
class Seeds:
    """The seed texts and the binaries printed from them."""

    texts: dict[str, str]
    """cells (2024 Word export), flow (2019 PDF text), rows (2024 as tab-separated rows)."""
    binaries: dict[str, bytes] = field(default_factory=dict)


def rows_text(source: Path) -> str:
    """The cells seed with each table row on one line, its cells separated by tabs."""
    from tests.disclosure_files import read_blocks

    lines = []
    for block in read_blocks(source):
        for row in block.rows:
            lines.append("  ".join(c for c in row if c) if block.kind == "text" else "\t".join(row))
    return "\n".join(lines)


def make_seeds(scratch: Path, binaries: bool = True) -> Seeds:
    """The seed texts and, with ``binaries``, an .xlsx, an .xls and four PDFs of them."""
    cells, flow = source_of(HUANGPI), source_of(QIAOKOU)
    seeds = Seeds(
        {
            "cells": cells.read_text(encoding="utf-8"),
            "flow": flow.read_text(encoding="utf-8"),
            "rows": rows_text(cells),
        }
    )
    if not binaries:
        return seeds
    from reportlab import rl_config
    from tests.disclosure_files import flow_pdf, ruled_pdf, xls_workbook, xlsx_workbook

    scratch.mkdir(parents=True, exist_ok=True)
    made = seeds.binaries
    made["xlsx"] = _fixed_zip(xlsx_workbook(cells, scratch / "seed.xlsx").read_bytes())
    made["xls"] = xls_workbook(cells, scratch / "seed.xls").read_bytes()
    invariant, compression = rl_config.invariant, rl_config.pageCompression
    try:
        rl_config.invariant = 1  # no date or random id: the same bytes every run
        for compress in (1, 0):
            rl_config.pageCompression = compress
            plain = "" if compress else "-plain"
            made[f"pdf-ruled{plain}"] = ruled_pdf(cells, scratch / f"r{plain}.pdf").read_bytes()
            made[f"pdf-flow{plain}"] = flow_pdf(flow, scratch / f"f{plain}.pdf").read_bytes()
    finally:
        rl_config.invariant, rl_config.pageCompression = invariant, compression
    return seeds


def _fixed_zip(raw: bytes) -> bytes:
    """The workbook with its save time and the members' dates fixed, for the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", data)
            _write_member(target, info.filename, data)
    return out.getvalue()


def _write_member(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


# ------------------------------------------------------------------------ inputs


@dataclass
class Case:
    """One input: its kind, number, bytes, and what was done to make it."""

    kind: str
    index: int
    suffix: str
    data: bytes
    ops: list[str]
    base: str | None = None
    """The seed text it was made from (text inputs), for the diff."""
    text: str | None = None
    """The mutated text before it was encoded (text inputs)."""

    saved: Path | None = None
    """The file it was read from (a replay)."""

    @property
    def name(self) -> str:
        if self.saved is not None:
            return str(self.saved)
        return f"{self.kind.replace(':', '-')}-{self.index}{self.suffix}"


Lines = list[str]
Mutation = Callable[[Lines, random.Random], str]

_PART = re.compile(r"^\s*第([一二三四五六七八九十]+)部分")
_PART_RUN_ON = re.compile(r"[。；;]\s*第[一二三四五六七八九十]+部分")
_EXPLANATION = re.compile(r"决算情况说明\s*$")
# An amount as the tables print it: the tokenizer's and `juesuan corpus`'s reading.
AMOUNT = PRINTED_AMOUNT
# Prose says 282.91万元 or 59.2%: an amount so followed is narrative, not a cell.
_PROSE = re.compile(r"\d*\s*(?:万元|元|%|％)")
_NUMBER = re.compile(rf"(?P<amount>{AMOUNT_PATTERN})|(?P<whole>\d+)")
_CODE = re.compile(r"(?<![\d.,])\d{3}(?:\d{2}){0,2}(?![\d.,])")
_TITLE = re.compile(r"\d{4}\s*年度.{2,40}表")
_YEAR = re.compile(r"(?:19|20)\d\d")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")

SPECIALS = (
    "\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200e", "\u200f", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f",
    "\u0301", "\u0300", "\u0308", "\u0338", "\u20dd", "\u3099", "\u3000", "\xa0", "\u2028",
    "\u2029", "\x85", "\x0b", "\x0c", "\x00", "\x1b", "\x7f", "\t", "\r", "\ufffd", "\U0001f600",
    "\U0001d7d8", "\u0663", "\uff10", "\uff0e", "\uff0c", "、", "\uff0d", "—", "\uff05", "万元",
    "合计", "注：", "（", "）", "第三部分", "本年", "\ud7ff", "\uffff", "\U0010ffff", "٫",
)  # fmt: skip


def _random_unicode(rng: random.Random, size: int) -> str:
    out = []
    for _ in range(size):
        pick = rng.random()
        if pick < 0.5:
            out.append(rng.choice(SPECIALS))
        elif pick < 0.7:
            out.append(chr(rng.randint(0x4E00, 0x9FFF)))
        else:
            point = rng.randint(0x20, 0x10FFFF)
            out.append(chr(point) if not 0xD800 <= point <= 0xDFFF else "\ufffd")
    return "".join(out)


def tables_part(lines: Lines | tuple[str, ...]) -> tuple[int, int] | None:
    """0-based [start, end) of the lines from 第二部分 to the next part's heading."""
    start = next(
        (i for i, line in enumerate(lines) if (m := _PART.match(line)) and m.group(1) == "二"),
        None,
    )
    if start is None:
        return None
    for end in range(start + 1, len(lines)):
        heading = _PART.match(lines[end])
        if (
            (heading and heading.group(1) != "二")  # a 第二部分 again is no next part
            or _PART_RUN_ON.search(lines[end])
            or _EXPLANATION.search(lines[end])
        ):
            return start, end
    return start, len(lines)


def _where(lines: Lines, rng: random.Random, test: Callable[[str], bool] | None = None) -> int:
    """A line number, in the tables part 9 times in 10, passing ``test`` if given."""
    span = tables_part(lines)
    low, high = span if span and rng.random() < 0.9 else (0, len(lines))
    candidates = range(low, max(high, low + 1))
    if test is None:
        return rng.choice(candidates) if lines else 0
    chosen = [i for i in candidates if i < len(lines) and test(lines[i])]
    if not chosen:
        chosen = [i for i, line in enumerate(lines) if test(line)]
    return rng.choice(chosen) if chosen else -1


def _amount_at(lines: Lines, rng: random.Random) -> tuple[int, re.Match[str]] | None:
    index = _where(lines, rng, lambda line: AMOUNT.search(line) is not None)
    if index < 0:
        return None
    return index, rng.choice(list(AMOUNT.finditer(lines[index])))


def _some_amount(rng: random.Random) -> str:
    return f"{rng.randint(0, 99999)}.{rng.randint(0, 99):02d}"


# Line-level mutations.


def delete_lines(lines: Lines, rng: random.Random) -> str:
    at, count = _where(lines, rng), rng.choice((1, 1, 1, 2, 3, 8))
    del lines[at : at + count]
    return f"delete-lines {at + 1}+{count}"


def duplicate_lines(lines: Lines, rng: random.Random) -> str:
    at, count = _where(lines, rng), rng.choice((1, 1, 2, 4, 12))
    lines[at:at] = lines[at : at + count]
    return f"duplicate-lines {at + 1}+{count}"


def swap_lines(lines: Lines, rng: random.Random) -> str:
    a = _where(lines, rng)
    b = min(len(lines) - 1, a + rng.randint(1, 10)) if rng.random() < 0.7 else _where(lines, rng)
    if lines:
        lines[a], lines[b] = lines[b], lines[a]
    return f"swap-lines {a + 1} {b + 1}"


def move_block(lines: Lines, rng: random.Random) -> str:
    at, count = _where(lines, rng), rng.randint(2, 30)
    block = lines[at : at + count]
    del lines[at : at + count]
    to = _where(lines, rng)
    lines[to:to] = block
    return f"move-block {at + 1}+{count} to {to + 1}"


def insert_unicode_line(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng)
    lines.insert(at, _random_unicode(rng, rng.choice((1, 3, 20, 200))))
    return f"insert-unicode-line {at + 1}"


def insert_unicode_inline(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng, lambda line: line.strip() != "")
    if at < 0:
        return "insert-unicode-inline (none)"
    line = lines[at]
    position = rng.randint(0, len(line))
    lines[at] = line[:position] + _random_unicode(rng, rng.choice((1, 1, 2, 5))) + line[position:]
    return f"insert-unicode-inline {at + 1}:{position}"


def whitespace_run(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng)
    size = rng.choice((1_000, 10_000, 100_000, 1_000_000))
    run = rng.choice((" ", "\t", "\u3000", "\xa0", " \t", "\u200b")) * size
    if rng.random() < 0.5 and at < len(lines):
        position = rng.randint(0, len(lines[at]))
        lines[at] = lines[at][:position] + run + lines[at][position:]
    else:
        lines.insert(at, run)
    return f"whitespace-run {at + 1} ×{size}"


def blank_lines_run(lines: Lines, rng: random.Random) -> str:
    at, size = _where(lines, rng), rng.choice((100, 10_000, 100_000))
    lines[at:at] = [rng.choice(("", "\t", " "))] * size
    return f"blank-lines-run {at + 1} ×{size}"


def truncate(lines: Lines, rng: random.Random) -> str:
    text = "\n".join(lines)
    cut = rng.randint(0, len(text))
    lines[:] = text[:cut].split("\n")
    return f"truncate at char {cut}"


def split_line(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng, lambda line: len(line) > 1)
    if at < 0:
        return "split-line (none)"
    position = rng.randint(1, len(lines[at]) - 1)
    lines[at : at + 1] = [lines[at][:position], lines[at][position:]]
    return f"split-line {at + 1}:{position}"


def join_lines(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng)
    if at + 1 >= len(lines):
        return "join-lines (none)"
    glue = rng.choice(("", " ", "\t", "  "))
    lines[at : at + 2] = [lines[at] + glue + lines[at + 1].lstrip("\t")]
    return f"join-lines {at + 1}"


def line_breaks(lines: Lines, rng: random.Random) -> str:
    """Every line end (or every other) written as CRLF, CR, U+2028, NEL or a form feed."""
    end = rng.choice(("\r\n", "\r", "\u2028", "\x85", "\x0c\n", "\n\r"))
    every = rng.choice((1, 2))
    text = "".join(line + (end if i % every == 0 else "\n") for i, line in enumerate(lines))
    lines[:] = text.split("\n")
    return f"line-breaks {end!r} every {every}"


def toggle_tab(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng, lambda line: line.strip() != "")
    if at < 0:
        return "toggle-tab (none)"
    lines[at] = lines[at][1:] if lines[at].startswith("\t") else "\t" + lines[at]
    return f"toggle-tab {at + 1}"


def blank_line(lines: Lines, rng: random.Random) -> str:
    if rng.random() < 0.5:
        at = _where(lines, rng, lambda line: line.strip() == "")
        if at >= 0:
            del lines[at]
            return f"delete-blank-line {at + 1}"
    at = _where(lines, rng)
    lines.insert(at, "")
    return f"insert-blank-line {at + 1}"


# Token-level mutations.


def change_amount(lines: Lines, rng: random.Random) -> str:
    found = _amount_at(lines, rng)
    if found is None:
        return "change-amount (none)"
    at, match = found
    old = match.group()
    value = Decimal(old.replace(",", ""))
    new = rng.choice(
        (
            _some_amount(rng),
            f"{value + Decimal('0.01'):.2f}",
            f"{value - Decimal('1.00'):.2f}",
            f"{value:,.2f}",
            f"{value * 10000:,.2f}",
            "-" + old,
            "9" * rng.randint(10, 40) + ".99",
            "0.00",
            old.translate(str.maketrans("0123456789.", "０１２３４５６７８９．")),
            old + "5",
            old.split(".")[0],
            "1." + old,
            old + "万元",
            f"({old})",
            old.replace(".", "。"),
            old.replace(".", ","),
        )
    )
    lines[at] = lines[at][: match.start()] + new + lines[at][match.end() :]
    return f"change-amount {at + 1} {old}→{new}"


def delete_cell(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng, lambda line: line.startswith("\t") or AMOUNT.search(line) is not None)
    if at < 0:
        return "delete-cell (none)"
    line = lines[at]
    if "\t" in line.strip("\t"):
        cells = line.split("\t")
        gone = cells.pop(rng.randrange(len(cells)))
        lines[at] = "\t".join(cells)
        return f"delete-cell {at + 1} {gone[:20]!r}"
    found = list(AMOUNT.finditer(line))
    if line.startswith("\t") or not found:
        del lines[at]
        return f"delete-cell {at + 1} {line.strip()[:20]!r}"
    match = rng.choice(found)
    lines[at] = line[: match.start()] + line[match.end() :].lstrip(" ")
    return f"delete-cell {at + 1} {match.group()}"


def blank_cell(lines: Lines, rng: random.Random) -> str:
    found = _amount_at(lines, rng)
    if found is None:
        return "blank-cell (none)"
    at, match = found
    blank = rng.choice(("", "-", "—", "/", " "))
    lines[at] = lines[at][: match.start()] + blank + lines[at][match.end() :]
    return f"blank-cell {at + 1} {match.group()}→{blank!r}"


def insert_note(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng)
    a, b = _some_amount(rng), _some_amount(rng)
    note = rng.choice(
        (
            "注：本表无数据。",
            "注：本表反映部门本年度各项支出情况。",
            f"注：其中{a}万元为上年结转。",
            f"注：{a} {b}",
            "注：",
            "注:本单位无政府性基金收支，故本表为空。",
            "本部门本年度无国有资本经营预算财政拨款支出。",
            f"注：1.本表金额单位为万元。2.合计{a}万元。",
        )
    )
    if rng.random() < 0.3:
        note = "\t" + note
    lines.insert(at, note)
    return f"insert-note {at + 1} {note!r}"


def _titles(lines: Lines) -> list[int]:
    return [i for i, line in enumerate(lines) if len(line) < 80 and _TITLE.search(line)]


def duplicate_title(lines: Lines, rng: random.Random) -> str:
    titles = _titles(lines)
    if not titles:
        return "duplicate-title (none)"
    title = rng.choice(titles)
    to = title + 1 if rng.random() < 0.3 else _where(lines, rng)
    lines.insert(to, lines[title])
    return f"duplicate-title {title + 1} at {to + 1}"


def duplicate_table(lines: Lines, rng: random.Random) -> str:
    titles = _titles(lines)
    if not titles:
        return "duplicate-table (none)"
    k = rng.randrange(len(titles))
    span = tables_part(lines)
    end = titles[k + 1] if k + 1 < len(titles) else (span[1] if span else len(lines))
    end = max(end, titles[k] + 1)
    block = lines[titles[k] : end]
    lines[end:end] = block
    return f"duplicate-table {titles[k] + 1}-{end}"


def insert_total_row(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng)
    found = [m.group() for line in lines[max(0, at - 20) : at] for m in AMOUNT.finditer(line)]
    amounts = [
        rng.choice(found) if found and rng.random() < 0.7 else _some_amount(rng)
        for _ in range(rng.randint(1, 4))
    ]
    label = rng.choice(("合计", "总计", "本年支出合计", "小计"))
    style = rng.choice(("flow", "cells", "rows"))
    if style == "cells":
        lines[at:at] = ["", f"\t{label}", *[f"\t{a}" for a in amounts], ""]
    elif style == "rows":
        lines.insert(at, "\t".join((label, *amounts)))
    else:
        lines.insert(at, " ".join((label, *amounts)))
    return f"insert-total-row {at + 1} {style} {label} {' '.join(amounts)}"


def change_code(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng, lambda line: _CODE.search(line) is not None)
    if at < 0:
        return "change-code (none)"
    match = rng.choice(list(_CODE.finditer(lines[at])))
    old = match.group()
    new = rng.choice(
        (
            "".join(str(rng.randint(0, 9)) for _ in old),
            old[:-1],
            old + str(rng.randint(0, 9)),
            old[:3] + " " + old[3:],
            "9" * len(old),
        )
    )
    lines[at] = lines[at][: match.start()] + new + lines[at][match.end() :]
    return f"change-code {at + 1} {old}→{new}"


def swap_amounts(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng, lambda line: len(AMOUNT.findall(line)) >= 2)
    if at >= 0 and rng.random() < 0.5:
        first, second = rng.sample(list(AMOUNT.finditer(lines[at])), 2)
        if first.start() > second.start():
            first, second = second, first
        line = lines[at]
        lines[at] = (
            line[: first.start()]
            + second.group()
            + line[first.end() : second.start()]
            + first.group()
            + line[second.end() :]
        )
        return f"swap-amounts {at + 1} {first.group()}⇄{second.group()}"
    cells = [i for i, line in enumerate(lines) if line.startswith("\t") and AMOUNT.search(line)]
    if len(cells) < 2:
        return "swap-amounts (none)"
    a = rng.choice(cells)
    near = [i for i in cells if 0 < abs(i - a) <= 12] or cells
    b = rng.choice(near)
    lines[a], lines[b] = lines[b], lines[a]
    return f"swap-amounts lines {a + 1}⇄{b + 1}"


def change_year(lines: Lines, rng: random.Random) -> str:
    places = [(i, m) for i, line in enumerate(lines) for m in _YEAR.finditer(line)]
    if not places:
        return "change-year (none)"
    at, match = rng.choice(places)
    old = match.group()
    new = rng.choice(
        (
            str(rng.randint(1990, 2100)),
            old.replace("0", "O"),
            "２０２４",
            "二〇二四",
            old[:2],
            "0000",
        )
    )
    if rng.random() < 0.3:  # every occurrence
        lines[:] = [line.replace(old, new) for line in lines]
        return f"change-year all {old}→{new}"
    lines[at] = lines[at][: match.start()] + new + lines[at][match.end() :]
    return f"change-year {at + 1} {old}→{new}"


def replace_label(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng, lambda line: _CJK_RUN.search(line) is not None)
    if at < 0:
        return "replace-label (none)"
    match = rng.choice(list(_CJK_RUN.finditer(lines[at])))
    others = [m.group() for line in lines for m in _CJK_RUN.finditer(line)][:5000]
    new = rng.choice(("", _random_unicode(rng, rng.randint(1, 12)), rng.choice(others)))
    lines[at] = lines[at][: match.start()] + new + lines[at][match.end() :]
    return f"replace-label {at + 1} {match.group()[:16]!r}→{new[:16]!r}"


def page_break(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng)
    before = [i for i in _titles(lines) if i < at]
    furniture = ["", f"- {rng.randint(1, 40)} -", ""]
    if before and rng.random() < 0.7:
        title = before[-1]
        furniture += lines[title : title + rng.randint(1, 6)]
    lines[at:at] = furniture
    return f"page-break {at + 1} +{len(furniture)}"


def glue_amounts(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng, lambda line: re.search(r"\.\d{2} +\d", line) is not None)
    if at < 0:
        return "glue-amounts (none)"
    matches = list(re.finditer(r"(\.\d{2}) +(\d)", lines[at]))
    match = rng.choice(matches)
    lines[at] = (
        lines[at][: match.start()] + match.group(1) + match.group(2) + lines[at][match.end() :]
    )
    return f"glue-amounts {at + 1}"


def change_unit(lines: Lines, rng: random.Random) -> str:
    at = _where(lines, rng, lambda line: "万元" in line)
    if at < 0:
        return "change-unit (none)"
    new = rng.choice(("元", "亿元", "千元", "", "万 元", "美元"))
    lines[at] = lines[at].replace("万元", new, 1)
    return f"change-unit {at + 1} 万元→{new!r}"


def part_heading(lines: Lines, rng: random.Random) -> str:
    heads = [i for i, line in enumerate(lines) if _PART.match(line)]
    choice = rng.random()
    if not heads or choice < 0.3:
        at = _where(lines, rng)
        heading = rng.choice(("第三部分 情况说明", "第二部分 部门决算表", "第六部分 附件"))
        lines.insert(at, heading)
        return f"part-heading insert {at + 1} {heading!r}"
    at = rng.choice(heads)
    if choice < 0.6:
        del lines[at]
        return f"part-heading delete {at + 1}"
    numbers = "一二三四五六七八九十"
    new = rng.choice(numbers)
    lines[at] = re.sub(r"第[一二三四五六七八九十]+部分", f"第{new}部分", lines[at], count=1)
    return f"part-heading {at + 1} → 第{new}部分"


LINE_OPS: tuple[tuple[Mutation, int], ...] = (
    (delete_lines, 6), (duplicate_lines, 5), (swap_lines, 5), (move_block, 2),
    (insert_unicode_line, 4), (insert_unicode_inline, 6), (whitespace_run, 2),
    (blank_lines_run, 1), (truncate, 2), (split_line, 3), (join_lines, 3), (line_breaks, 2),
    (toggle_tab, 3), (blank_line, 3),
)  # fmt: skip
TOKEN_OPS: tuple[tuple[Mutation, int], ...] = (
    (change_amount, 8), (delete_cell, 6), (blank_cell, 5), (insert_note, 6),
    (duplicate_title, 4), (duplicate_table, 2), (insert_total_row, 3), (change_code, 4),
    (swap_amounts, 3), (change_year, 2), (replace_label, 4), (page_break, 3),
    (glue_amounts, 2), (change_unit, 1), (part_heading, 2),
)  # fmt: skip
TEXT_OPS = LINE_OPS + TOKEN_OPS
ENCODINGS = (
    "utf-8-sig", "gbk", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
    "gbk+utf-8",
)  # fmt: skip


def _encode(text: str, encoding: str, rng: random.Random) -> bytes:
    if encoding == "gbk+utf-8":  # a file pasted together from two sources
        lines = text.split("\n")
        cut = rng.randint(0, len(lines))
        return (
            "\n".join(lines[:cut]).encode("gbk", errors="replace")
            + b"\n"
            + "\n".join(lines[cut:]).encode("utf-8", errors="surrogatepass")
        )
    return text.encode(encoding, errors="replace")


def mutate_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Random damage: spans overwritten, cut out, repeated, bits flipped, a truncation."""
    out = bytearray(data)
    how = rng.choice(("overwrite", "overwrite", "delete", "repeat", "flip", "truncate", "insert"))
    if not out:
        return bytes(rng.randbytes(8)), "random"
    if how == "overwrite":
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(out))
            out[at : at + rng.randint(1, 16)] = rng.randbytes(rng.randint(0, 16))
    elif how == "delete":
        at = rng.randrange(len(out))
        del out[at : at + rng.randint(1, 512)]
    elif how == "repeat":
        at = rng.randrange(len(out))
        out[at:at] = out[at : at + rng.randint(1, 512)] * rng.randint(1, 4)
    elif how == "flip":
        for _ in range(rng.randint(1, 16)):
            at = rng.randrange(len(out))
            out[at] ^= 1 << rng.randrange(8)
    elif how == "truncate":
        del out[rng.randrange(len(out)) :]
    else:
        at = rng.randrange(len(out))
        out[at:at] = rng.choice((b"\x00" * 64, b"\xff\xfe", b"\xef\xbb\xbf", rng.randbytes(32)))
    return bytes(out), f"bytes-{how}"


def mutate_text(text: str, mutations: Sequence[Mutation], rng: random.Random) -> tuple[str, list]:
    """``text`` with each of ``mutations`` applied in turn, and what each did."""
    lines = text.split("\n")
    ops = [mutation(lines, rng) for mutation in mutations]
    return "\n".join(lines), ops


TEXT_WEIGHTS = {"cells": 4, "flow": 4, "rows": 2}


def text_case(seeds: Seeds, seed: int, index: int) -> Case:
    """Text input ``index``: a seed with one to four mutations, sometimes re-encoded."""
    rng = random.Random(f"{seed}:text:{index}")
    names = sorted(TEXT_WEIGHTS)
    base_name = rng.choices(names, [TEXT_WEIGHTS[n] for n in names])[0]
    base = seeds.texts[base_name]
    functions, weights = zip(*TEXT_OPS, strict=True)
    chosen = rng.choices(functions, weights, k=rng.choice((1, 1, 1, 2, 2, 3, 4)))
    text, ops = mutate_text(base, chosen, rng)
    encoding = rng.choice(ENCODINGS) if rng.random() < 0.12 else "utf-8"
    if encoding != "utf-8":
        ops.append(f"encode {encoding}")
    data = (
        _encode(text, encoding, rng)
        if encoding != "utf-8"
        else text.encode("utf-8", errors="surrogatepass")
    )
    if rng.random() < 0.06:
        data, how = mutate_bytes(data, rng)
        ops.append(how)
    return Case(f"text:{base_name}", index, ".txt", data, ops, base, text)


BINARY_WEIGHTS = {"xlsx": 2, "xlsx-xml": 3, "xls": 2, "pdf-ruled": 2, "pdf-flow": 1}
_SUFFIX = {
    "xlsx": ".xlsx",
    "xlsx-xml": ".xlsx",
    "xls": ".xls",
    "pdf-ruled": ".pdf",
    "pdf-flow": ".pdf",
}


def binary_case(seeds: Seeds, seed: int, index: int) -> Case:
    """Binary input ``index``: a workbook or PDF of a seed with its bytes damaged."""
    rng = random.Random(f"{seed}:binary:{index}")
    kinds = sorted(BINARY_WEIGHTS)
    kind = rng.choices(kinds, [BINARY_WEIGHTS[k] for k in kinds])[0]
    if kind == "xlsx-xml":
        data, ops = _xlsx_member_mutant(seeds.binaries["xlsx"], rng)
    else:
        base = kind
        if kind.startswith("pdf") and rng.random() < 0.5:
            base += "-plain"  # content streams uncompressed: the damage reaches the text
        data, ops = seeds.binaries[base], [base]
        for _ in range(rng.choice((1, 1, 2, 3))):
            data, how = mutate_bytes(data, rng)
            ops.append(how)
    return Case(kind, index, _SUFFIX[kind], data, ops)


_XML_NUMBER = re.compile(rb"<v>([^<]*)</v>")
_XML_CELL = re.compile(rb"<c [^>]*?(?:/>|>.*?</c>)", re.S)
_XML_ROW = re.compile(rb"<row [^>]*?(?:/>|>.*?</row>)", re.S)
_XML_REF = re.compile(rb'(r|ref)="([A-Z]+\d+(?::[A-Z]+\d+)?)"')


def _xlsx_member_mutant(raw: bytes, rng: random.Random) -> tuple[bytes, list[str]]:
    """The workbook with one member's XML damaged as a writer or an editor might."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        members = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    names = sorted(members)
    sheets = [n for n in names if n.startswith("xl/worksheets/")]
    name = rng.choice(sheets) if rng.random() < 0.7 else rng.choice(names)
    data = members[name]
    how = rng.choice(("number", "cell", "row", "ref", "huge-ref", "bytes", "drop", "string"))
    if how == "number" and (found := list(_XML_NUMBER.finditer(data))):
        match = rng.choice(found)
        new = rng.choice((b"", b"abc", b"1e308", b"nan", b"-0", b"12.345678", b"9" * 40, b"1.5"))
        data = data[: match.start(1)] + new + data[match.end(1) :]
    elif how == "cell" and (found := list(_XML_CELL.finditer(data))):
        match = rng.choice(found)
        data = data[: match.start()] + data[match.end() :]
    elif how == "row" and (found := list(_XML_ROW.finditer(data))):
        match = rng.choice(found)
        data = data[: match.end()] + match.group() + data[match.end() :]
    elif how in ("ref", "huge-ref") and (found := list(_XML_REF.finditer(data))):
        match = rng.choice(found)
        new = (
            rng.choice((b"XFD1048576", b"A1048576", b"XFD1", b"A1:XFD1048576"))
            if how == "huge-ref"
            else rng.choice((b"A1", b"B0", b"ZZ9", b"A", b"1", b"A1:A1", b"C3:A1"))
        )
        data = data[: match.start(2)] + new + data[match.end(2) :]
    elif how == "drop":
        del members[name]
        data = b""
    elif how == "string" and "xl/sharedStrings.xml" in members:
        name = "xl/sharedStrings.xml"
        data = members[name]
        found = list(re.finditer(rb"<t[^>]*>([^<]*)</t>", data))
        if found:
            match = rng.choice(found)
            new = _random_unicode(rng, rng.randint(1, 8)).encode("utf-8", errors="replace")
            new = new.replace(b"<", b"&lt;").replace(b"&", b"&amp;")
            data = data[: match.start(1)] + new + data[match.end(1) :]
    else:
        data, how = mutate_bytes(data, rng)
    if how != "drop":
        members[name] = data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member, content in members.items():
            _write_member(archive, member, content)
    return out.getvalue(), [f"xlsx {name} {how}"]


def make_case(seeds: Seeds, seed: int, kind: str, index: int) -> Case:
    """Input ``index`` of ``kind`` ("text" or "binary") for generator seed ``seed``.

    Should a mutation itself fail, the input is the seed's bytes, its op says why:
    the generator's own slip must not stop a run.
    """
    try:
        return text_case(seeds, seed, index) if kind == "text" else binary_case(seeds, seed, index)
    except Exception as error:
        ops = [f"generator failed: {type(error).__name__}: {_message(error)}"]
        return Case(f"{kind}:generator", index, ".txt", seeds.texts["cells"].encode(), ops)


# ------------------------------------------------------------------------ runs


class Hang(BaseException):
    """The watchdog's: an input took more CPU time than allowed.

    A BaseException, so the ``except Exception`` safety nets of ingest and
    validate_package let it through.
    """


@contextmanager
def watchdog(seconds: float) -> Iterator[None]:
    """Raise Hang in the main thread once this process has used ``seconds`` of CPU."""

    def fire(_signum: int, _frame: object) -> None:
        raise Hang(f"more than {seconds:g} s of CPU")

    previous = signal.signal(signal.SIGPROF, fire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@dataclass
class Outcome:
    """What one input gave."""

    kind: str
    index: int
    cls: str
    """ok, refused, traceback or hang."""
    seconds: float = 0.0
    cpu: float = 0.0
    stage: str = ""
    signature: str = ""
    message: str = ""
    frames: list[str] = field(default_factory=list)
    net: bool = False
    """Refused or crashed through a safety net (an exception wrapped as a message)."""
    lost: dict[str, int] = field(default_factory=dict)
    invented: dict[str, int] = field(default_factory=dict)
    printed: int = 0
    span: str = ""
    """Where the tables part was taken from: its headings, or ingest's outline."""
    errors: list[str] = field(default_factory=list)
    """The rules validation found broken."""
    ops: list[str] = field(default_factory=list)

    @property
    def interesting(self) -> bool:
        return self.cls in ("traceback", "hang") or bool(self.lost)


_ROOT = Path(__file__).resolve().parent.parent


def _frames(error: BaseException, keep: int = 10) -> list[str]:
    frames = traceback.extract_tb(error.__traceback__)
    shown = []
    frames = [f for f in frames if not (f.name == "fire" and f.filename == __file__)]
    for frame in frames[-keep:]:
        path = frame.filename
        for prefix in (f"{_ROOT / 'src'}/", f"{_ROOT}/", f"{sys.prefix}/", f"{sys.base_prefix}/"):
            path = path.removeprefix(prefix)
        path = re.sub(r"^lib/python[\d.]+/(?:site-packages/)?", "", path)
        shown.append(f"{path}:{frame.lineno} {frame.name}")
    return shown


def _ours(frame: str) -> bool:
    return frame.startswith("juesuan/")


def _signature(kind: str, error: BaseException, frames: list[str]) -> str:
    """Type and the innermost juesuan frame (and library frame, if the error arose there)."""
    ours = [f for f in _frames(error, keep=1000) if _ours(f)]
    where = re.sub(r":\d+ ", ":", ours[-1]) if ours else "?"
    library = "" if not frames or _ours(frames[-1]) else " in " + re.sub(r":\d+ ", ":", frames[-1])
    return f"{kind} {type(error).__name__} @ {where}{library}"


def _message(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return text[:300]


def run_case(
    case: Case, scratch: Path, *, frictionless: bool = False, limit: float = LIMIT
) -> Outcome:
    """Ingest ``case`` as ``juesuan ingest`` does, validate what it wrote, classify it."""
    folder = Path(tempfile.mkdtemp(prefix="case-", dir=scratch))
    source = folder / Path(case.name).name
    source.write_bytes(case.data)
    outcome = Outcome(case.kind, case.index, "ok", ops=list(case.ops))
    start, cpu = time.perf_counter(), time.process_time()
    try:
        with watchdog(limit):
            _run(source, folder / "out", frictionless, outcome)
    except Hang as hang:
        outcome.cls = "hang"
        outcome.frames = _frames(hang)
        outcome.message = str(hang)
        outcome.signature = _signature(outcome.stage, hang, outcome.frames)
    finally:
        outcome.seconds = time.perf_counter() - start
        outcome.cpu = time.process_time() - cpu
        shutil.rmtree(folder, ignore_errors=True)
    return outcome


def _run(source: Path, out: Path, frictionless: bool, outcome: Outcome) -> None:
    from juesuan.ingest.pipeline import ingest
    from juesuan.ingest.report import report
    from juesuan.package.write import write_package
    from juesuan.repository.targets import assign
    from juesuan.validation import validate_package

    outcome.stage = "ingest"
    try:
        disclosure = ingest(source)
    except SourceError as error:
        _refused(outcome, error)
        return
    except Exception as error:
        _crashed(outcome, error)
        return
    try:
        outcome.stage = "write"
        target = write_package(disclosure, assign(disclosure, out, None))
        outcome.stage = "report"
        list(report(disclosure, source, target))
    except SourceError as error:
        _refused(outcome, error)
        return
    except Exception as error:  # an OSError too: the scratch folder is writable
        _crashed(outcome, error)
        return
    outcome.stage = "validate"
    try:
        checked = validate_package(target, with_frictionless=frictionless)
    except Exception as error:
        _crashed(outcome, error)
        return
    broken = [f for f in checked.findings if f.rule == "package/unreadable"]
    if broken and "cannot be checked" in broken[0].message:
        _validation_crash(outcome, target, frictionless, broken[0].message)
        return
    outcome.errors = sorted({f.rule for f in checked.errors})
    outcome.stage = "amounts"
    _check_amounts(disclosure, target, outcome)


def _refused(outcome: Outcome, error: SourceError) -> None:
    outcome.cls = "refused"
    outcome.message = error.message[:300]
    cause = error.__cause__
    if (
        cause is None
        or isinstance(cause, SourceError)
        or not error.message.startswith("cannot be read (")
    ):
        return
    # The safety net of ingest wrapped another exception: where did it arise?
    outcome.net = True
    outcome.frames = _frames(cause)
    names = {frame.name for frame in traceback.extract_tb(cause.__traceback__)}
    in_reader = "read_document" in names and "_disclosure" not in names
    outcome.signature = _signature(outcome.stage, cause, outcome.frames)
    if not in_reader or (outcome.frames and _ours(outcome.frames[-1])):
        # juesuan's own code raised it, or the pipeline fed a library what it
        # could not take: a crash the net hid, not a refusal.
        outcome.cls = "traceback"
        outcome.message = f"{type(cause).__name__}: {_message(cause)}"


def _crashed(outcome: Outcome, error: Exception) -> None:
    outcome.cls = "traceback"
    outcome.frames = _frames(error)
    outcome.message = f"{type(error).__name__}: {_message(error)}"
    outcome.signature = _signature(outcome.stage, error, outcome.frames)


def _validation_crash(outcome: Outcome, target: Path, frictionless: bool, message: str) -> None:
    """validate_package's net caught an exception: run the checks bare to see it."""
    from juesuan.validation.run import _validate

    try:
        _validate(target, frictionless, None)
    except Exception as error:
        _crashed(outcome, error)
        outcome.net = True
        return
    outcome.cls = "traceback"
    outcome.message = message
    outcome.signature = "validate (the net fired, the bare run did not)"


def printed_amounts(lines: tuple[str, ...]) -> tuple[Counter, Counter, Counter]:
    """Amounts as tables print them, amounts in prose (282.91万元), whole numbers."""
    amounts: Counter[Decimal] = Counter()
    prose: Counter[Decimal] = Counter()
    wholes: Counter[Decimal] = Counter()
    for line in lines:
        # Left to right as the tokenizer reads: 12.1512.15 is two amounts run together.
        for match in _NUMBER.finditer(line):
            if match.lastgroup == "whole":
                wholes[_decimal(match.group())] += 1
            else:
                found = prose if _PROSE.match(line, match.end()) else amounts
                found[_decimal(match.group())] += 1
    for counter in (amounts, prose, wholes):
        counter.pop(None, None)
    return amounts, prose, wholes


def _decimal(text: str, shift: int = 0) -> Decimal | None:
    """``text`` as a two-decimal amount, its point moved ``shift`` places (万元 → 元: 4)."""
    try:
        return Decimal(text.replace(",", "")).scaleb(shift).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def _cells_joined(lines: tuple[str, ...]) -> tuple[str, ...]:
    """Cell lines with their continuations: in the cells layout a line that follows
    a cell without a tab of its own is the rest of that cell (a wrapped cell)."""
    joined: list[str] = []
    in_row = False
    for line in lines:
        if line.startswith("\t"):
            joined.append(line)
            in_row = True
        elif not line.strip():
            joined.append(line)
            in_row = False
        elif in_row:
            joined[-1] = joined[-1].rstrip() + line.strip()
        else:
            joined.append(line)
    return tuple(joined)


def _check_amounts(disclosure: object, package: Path, outcome: Outcome) -> None:
    """Every amount of the tables part is a fact or in a note; no fact comes from nowhere."""
    from juesuan.package.facts import facts
    from juesuan.taxonomy.tolerance import shift_of

    lines = disclosure.document.lines  # type: ignore[attr-defined]
    first, last = disclosure.outline.tables_range  # type: ignore[attr-defined]
    span = tables_part(lines)
    outcome.span = "headings"
    if span is None:
        span, outcome.span = (first - 1, last), "outline"
    else:
        # A part heading amid the tables does not end them for ingest, which then
        # answers for every line up to the next heading after the last table.
        span = (min(span[0], first - 1), max(span[1], last))
    part = lines[span[0] : span[1]]
    if disclosure.layout == "cells":  # type: ignore[attr-defined]
        part = _cells_joined(part)
    printed, prose, wholes = printed_amounts(part)
    # A table printed in 元 (or 千元…) holds its amounts in 万元: back to its print.
    shifts = {
        t.span.table.id: shift_of(t.unit)
        for t in disclosure.tables  # type: ignore[attr-defined]
    }
    placed = Counter(_decimal(f.value, -shifts.get(f.table, 0)) for f in facts(package))
    noted: Counter[Decimal] = Counter()
    with (package / "notes.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            noted.update(
                _decimal(m.group())
                for m in _NUMBER.finditer(row["text"])
                if m.lastgroup == "amount"
            )
    lost = printed - placed - noted
    invented = placed - printed - prose - wholes
    outcome.printed = sum(printed.values())
    outcome.lost = {str(k): v for k, v in sorted(lost.items())}
    outcome.invented = {str(k): v for k, v in sorted(invented.items(), key=lambda kv: str(kv[0]))}


# --------------------------------------------------------------------- running


@dataclass
class Summary:
    """Every outcome of a run and how long it took."""

    outcomes: list[Outcome]
    seconds: float
    texts: int
    binaries: int
    seed: int
    workers: int
    stopped: bool = False
    """The time budget ran out before every input was run."""

    def of(self, cls: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.cls == cls]

    @property
    def losses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.lost]

    @property
    def clean(self) -> bool:
        return not (self.of("traceback") or self.of("hang") or self.losses)


def _tasks(texts: int, binaries: int) -> list[tuple[str, int]]:
    """Texts and binaries interleaved, so a run cut short has some of each."""
    tasks = [("text", i, i / max(texts, 1)) for i in range(texts)]
    tasks += [("binary", i, (i + 0.5) / max(binaries, 1)) for i in range(binaries)]
    return [(kind, index) for kind, index, _ in sorted(tasks, key=lambda t: t[2])]


def fuzz(
    texts: int,
    binaries: int,
    seed: int = 0,
    *,
    workers: int = 0,
    limit: float = LIMIT,
    minutes: float | None = None,
    frictionless_every: int = 25,
    findings: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Summary:
    """Run ``texts`` text and ``binaries`` binary inputs; ``workers`` 0 runs in-process."""
    start = time.perf_counter()
    deadline = start + minutes * 60 if minutes else None
    with tempfile.TemporaryDirectory(prefix="juesuan-fuzz-") as scratch:
        seeds = make_seeds(Path(scratch) / "seeds", binaries=binaries > 0)
        tasks = _tasks(texts, binaries)
        summary = Summary([], 0.0, texts, binaries, seed, workers)
        run = _run_parallel if workers > 0 else _run_here
        for outcome, case in run(
            seeds, seed, tasks, Path(scratch), workers, limit, frictionless_every, deadline
        ):
            summary.outcomes.append(outcome)
            if findings is not None and outcome.interesting and case is not None:
                save_finding(findings, outcome, case, seed)
            done = len(summary.outcomes)
            if progress and (done % 200 == 0 or outcome.interesting):
                rate = done / (time.perf_counter() - start)
                note = (
                    f" {outcome.cls} {outcome.signature or _lost_text(outcome)}"
                    if (outcome.interesting)
                    else ""
                )
                progress(f"[{done}/{len(tasks)}] {rate:.1f}/s {outcome.kind}-{outcome.index}{note}")
        summary.stopped = len(summary.outcomes) < len(tasks)
    summary.seconds = time.perf_counter() - start
    return summary


Result = Iterator[tuple[Outcome, Case | None]]


def _run_here(
    seeds: Seeds,
    seed: int,
    tasks: list[tuple[str, int]],
    scratch: Path,
    _workers: int,
    limit: float,
    every: int,
    deadline: float | None,
) -> Result:
    _quiet()
    for number, (kind, index) in enumerate(tasks):
        if deadline and time.perf_counter() > deadline:
            return
        case = make_case(seeds, seed, kind, index)
        frictionless = every > 0 and number % every == 0
        yield run_case(case, scratch, frictionless=frictionless, limit=limit), case


def _quiet() -> None:
    """pdfminer logs every oddity of a damaged PDF; the outcome says what matters."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _worker(connection: Connection, seeds: Seeds, seed: int, scratch: Path, limit: float) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _quiet()
    while (task := connection.recv()) is not None:
        kind, index, frictionless = task
        case = make_case(seeds, seed, kind, index)
        outcome = run_case(case, scratch, frictionless=frictionless, limit=limit)
        connection.send((outcome, case if outcome.interesting else None))


@dataclass
class _Slot:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    task: tuple[str, int] | None = None
    since: float = 0.0


def _run_parallel(
    seeds: Seeds,
    seed: int,
    tasks: list[tuple[str, int]],
    scratch: Path,
    workers: int,
    limit: float,
    every: int,
    deadline: float | None,
) -> Result:
    context = multiprocessing.get_context("fork")

    def start() -> _Slot:
        mine, theirs = context.Pipe()
        process = context.Process(target=_worker, args=(theirs, seeds, seed, scratch, limit))
        process.start()
        theirs.close()
        return _Slot(process, mine)

    slots = [start() for _ in range(workers)]
    queue = list(enumerate(tasks))
    queue.reverse()
    try:
        while True:
            for slot in slots:
                if (
                    slot.task is None
                    and queue
                    and not (deadline and time.perf_counter() > deadline)
                ):
                    number, (kind, index) = queue.pop()
                    slot.connection.send((kind, index, every > 0 and number % every == 0))
                    slot.task, slot.since = (kind, index), time.perf_counter()
            busy = [slot for slot in slots if slot.task is not None]
            if not busy:
                return
            ready = wait([slot.connection for slot in busy], timeout=1.0)
            for index, slot in enumerate(slots):
                if slot.task is None:
                    continue
                if slot.connection in ready:
                    try:
                        outcome, case = slot.connection.recv()
                    except EOFError:  # the worker died: a segfault, the OOM killer
                        slot.process.join(5)
                        yield _lost_worker(seeds, seed, slot, "died", slot.process.exitcode)
                        slots[index] = start()
                        continue
                    slot.task = None
                    yield outcome, case
                elif time.perf_counter() - slot.since > WALL_LIMIT:
                    slot.process.kill()
                    slot.process.join(5)
                    yield _lost_worker(seeds, seed, slot, "stopped answering", None)
                    slots[index] = start()
    finally:
        for slot in slots:
            if slot.process.is_alive():
                with contextlib.suppress(BrokenPipeError, OSError):
                    slot.connection.send(None)
                slot.process.join(5)
                if slot.process.is_alive():
                    slot.process.kill()


def _lost_worker(
    seeds: Seeds, seed: int, slot: _Slot, what: str, code: int | None
) -> tuple[Outcome, Case]:
    assert slot.task is not None
    kind, index = slot.task
    case = make_case(seeds, seed, kind, index)
    seconds = time.perf_counter() - slot.since
    cls = "hang" if what == "stopped answering" else "traceback"
    outcome = Outcome(
        case.kind,
        index,
        cls,
        seconds=seconds,
        ops=case.ops,
        signature=f"{case.kind} worker {what}" + (f" (exit {code})" if code is not None else ""),
    )
    return outcome, case


# -------------------------------------------------------------------- findings


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:120] or "finding"


def save_finding(root: Path, outcome: Outcome, case: Case, seed: int) -> Path | None:
    """Save the input, what was done to it and what it gave; a few per signature."""
    if outcome.cls in ("traceback", "hang"):
        folder = root / outcome.cls / _slug(outcome.signature)
    else:
        folder = (
            root
            / "loss"
            / _slug(outcome.kind + " " + " ".join(sorted({op.split()[0] for op in outcome.ops})))
        )
    folder.mkdir(parents=True, exist_ok=True)
    if len(list(folder.glob("*.json"))) >= SAMPLES:
        return None
    path = folder / case.name
    path.write_bytes(case.data)
    record = asdict(outcome) | {
        "replay": f"python -m scripts.fuzz --replay {path}",
        "regenerate": f"python -m scripts.fuzz --seed {seed} --case "
        f"{'text' if case.kind.startswith('text') else 'binary'}:{case.index}",
    }
    path.with_suffix(path.suffix + ".json").write_text(
        json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    if case.base is not None and case.text is not None:
        diff = difflib.unified_diff(
            case.base.split("\n"), case.text.split("\n"), "seed", case.name, n=1, lineterm=""
        )
        lines = [line[:300] for _, line in zip(range(400), diff, strict=False)]
        path.with_suffix(path.suffix + ".diff").write_text("\n".join(lines) + "\n", "utf-8")
    return path


# ---------------------------------------------------------------------- report


def _lost_text(outcome: Outcome) -> str:
    return "lost " + ", ".join(f"{k}×{v}" if v > 1 else k for k, v in outcome.lost.items())


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def lines(summary: Summary) -> list[str]:
    """The figures of a run, for a person."""
    done = len(summary.outcomes)
    rate = done / summary.seconds if summary.seconds else 0.0
    out = [
        f"fuzz: seed {summary.seed}, {done} inputs of {summary.texts} texts + "
        f"{summary.binaries} binaries{' (time budget reached)' if summary.stopped else ''}, "
        f"{summary.workers or 1} worker(s), {summary.seconds:.0f} s, {rate:.2f} inputs/s",
        "",
        f"{'kind':16} {'inputs':>7} {'ok':>6} {'refused':>8} {'(net)':>6} {'crash':>6} "
        f"{'hang':>5} {'lost':>5} {'max s':>6} {'median s':>8}",
    ]
    kinds = sorted({o.kind for o in summary.outcomes})
    for kind in [*kinds, "total"]:
        group = [o for o in summary.outcomes if kind in ("total", o.kind)]
        count = Counter(o.cls for o in group)
        seconds = [o.seconds for o in group]
        out.append(
            f"{kind:16} {len(group):7} {count['ok']:6} {count['refused']:8} "
            f"{sum(1 for o in group if o.net and o.cls == 'refused'):6} {count['traceback']:6} "
            f"{count['hang']:5} {sum(1 for o in group if o.lost):5} "
            f"{max(seconds, default=0):6.2f} {_median(seconds):8.3f}"
        )
    cpu = [o.cpu for o in summary.outcomes]
    out.append(f"CPU seconds per input: max {max(cpu, default=0):.2f}, median {_median(cpu):.3f}")
    for cls in ("traceback", "hang"):
        found = Counter(o.signature for o in summary.of(cls))
        out += ["", f"{cls}s: {sum(found.values())}, distinct signatures: {len(found)}"]
        for signature, n in found.most_common():
            first = next(o for o in summary.of(cls) if o.signature == signature)
            out.append(f"  {n:5} × {signature}")
            out.append(f"          first: {first.kind}-{first.index} {first.message[:120]}")
    losses = summary.losses
    amounts = sum(sum(o.lost.values()) for o in losses)
    out += ["", f"silent losses: {len(losses)} inputs, {amounts} amounts"]
    by_ops = Counter(" ".join(sorted({op.split()[0] for op in o.ops})) for o in losses)
    for ops, n in by_ops.most_common(15):
        out.append(f"  {n:5} × {ops}")
    for outcome in losses[:10]:
        out.append(f"  {outcome.kind}-{outcome.index}: {_lost_text(outcome)}; ops {outcome.ops}")
    invented = [o for o in summary.outcomes if o.invented]
    out.append(
        f"inventions (facts not printed as amounts): {len(invented)} inputs, "
        f"{sum(sum(o.invented.values()) for o in invented)} amounts"
    )
    nets = Counter(o.signature for o in summary.outcomes if o.cls == "refused" and o.net)
    out += ["", f"refused by the safety net (a library's error in a reader): {sum(nets.values())}"]
    for signature, n in nets.most_common(12):
        out.append(f"  {n:5} × {signature}")
    reasons = Counter(
        re.sub(r"\d+", "N", re.sub(r"'[^']*'", "'…'", o.message))[:90]
        for o in summary.of("refused")
        if not o.net
    )
    out += ["", "refusals, most frequent messages:"]
    for reason, n in reasons.most_common(12):
        out.append(f"  {n:5} × {reason}")
    return out


def replay(cases: list[Case], limit: float) -> int:
    """Run inputs again and print what each gives, with the frames."""
    found = 0
    with tempfile.TemporaryDirectory(prefix="juesuan-fuzz-") as scratch:
        for case in cases:
            outcome = run_case(case, Path(scratch), frictionless=True, limit=limit)
            found += outcome.interesting
            print(
                f"{case.name}: {outcome.cls} after {outcome.seconds:.2f} s "
                f"({outcome.cpu:.2f} s CPU)"
            )
            for text in (*case.ops, outcome.signature, outcome.message, *outcome.frames):
                if text:
                    print(f"  {text}")
            if outcome.lost:
                print(f"  {_lost_text(outcome)}; validation errors: {outcome.errors}")
            if outcome.invented:
                print(f"  invented {outcome.invented}")
    return 1 if found else 0


def _saved(path: Path) -> Case:
    return Case("replay", 0, path.suffix, path.read_bytes(), [], saved=path)


def _numbered(seed: int, names: list[str]) -> list[Case]:
    """Inputs named as the findings name them: text:12, binary:3."""
    with tempfile.TemporaryDirectory(prefix="juesuan-fuzz-") as scratch:
        seeds = make_seeds(Path(scratch), binaries=any(n.startswith("binary") for n in names))
        cases = []
        for name in names:
            kind, _, index = name.partition(":")
            if kind not in ("text", "binary") or not index.isdigit():
                raise SystemExit(f"--case {name}: expected text:N or binary:N")
            cases.append(make_case(seeds, seed, kind, int(index)))
        return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.fuzz",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--texts", type=int, default=10_000, help="text inputs (10000)")
    parser.add_argument("--binaries", type=int, default=1_000, help="binary inputs (1000)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (0)")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes; 0 runs in this process (CPU count)",
    )
    parser.add_argument("--minutes", type=float, help="stop starting inputs after this long")
    parser.add_argument(
        "--limit",
        type=float,
        default=LIMIT,
        help=f"CPU seconds before an input is a hang ({LIMIT:g})",
    )
    parser.add_argument(
        "--frictionless-every",
        type=int,
        default=25,
        metavar="N",
        help="validate every N-th package with frictionless too; 0 never (25)",
    )
    parser.add_argument(
        "--findings", type=Path, default=FINDINGS, help=f"where findings are saved ({FINDINGS}/)"
    )
    parser.add_argument(
        "--replay",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="run saved inputs again and print what they give",
    )
    parser.add_argument(
        "--case",
        nargs="+",
        metavar="KIND:N",
        help="make input N of kind text or binary for --seed again and run it",
    )
    args = parser.parse_args(argv)
    if args.replay or args.case:
        cases = [_saved(path) for path in args.replay or ()]
        return replay(cases + _numbered(args.seed, args.case or []), args.limit)
    summary = fuzz(
        args.texts,
        args.binaries,
        args.seed,
        workers=args.workers,
        limit=args.limit,
        minutes=args.minutes,
        frictionless_every=args.frictionless_every,
        findings=args.findings,
        progress=lambda text: print(text, file=sys.stderr, flush=True),
    )
    print("\n".join(lines(summary)))
    (args.findings).mkdir(parents=True, exist_ok=True)
    (args.findings / "summary.json").write_text(
        json.dumps(
            [asdict(o) for o in summary.outcomes if o.cls != "ok" or o.lost or o.invented],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return 0 if summary.clean else 1


if __name__ == "__main__":
    sys.exit(main())
