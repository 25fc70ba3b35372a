"""Reading target tables (项目支出绩效目标表) from the two formats jixiao accepts, and writing CSV.

1. **Word text layout** — what Word writes when a published target-table document is saved as
   plain text: a title line per project, then one line per table cell, each starting with a tab.
   A paragraph that continues a cell (a second goal, say) is a line without the tab. Blank lines
   carry no meaning (Word puts them between table rows, and sometimes inside one).
2. **Flat CSV** — one row per indicator, header row in Chinese or English (``CSV_COLUMNS``), UTF-8
   with or without a BOM.

Both give ``TargetTables``: plain data, one ``ProjectTable`` per project with its
``IndicatorRow`` s, every cell verbatim except for surrounding white space. Word bookmark markers
(``[bookmark: _Toc…]``) are dropped wherever they occur. Input that is not in either format raises
``JixiaoError`` naming the line and what was expected there.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import JixiaoError
from .faults import os_detail, said
from . import places
from .language import Said, say
from .model import Budget

# --- the result ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator row as read: 一级/二级/三级指标, 绩效指标描述, 指标值 and where it was found.

    ``level1`` and ``category`` are already resolved: an empty first cell in the file (a merged
    cell in Word) has been replaced by the 一级指标 of the row above.
    """

    level1: str
    category: str
    name: str
    description: str
    target_text: str
    line: int = 0
    reading: dict | None = None      # facts of the optional reading columns (see READING_COLUMNS)
    place: str = ""  # where it was found when the file has no lines: "table 3, row 5" in Word


@dataclass(frozen=True)
class ProjectTable:
    """One project's target table as read.

    ``purpose`` and ``goals`` are ``None`` when the format did not carry them (a CSV without the
    optional columns): an import then keeps what is already stored. ``year`` is set only when
    the source names it explicitly (the CSV 年度 column).
    """

    unit_code: str
    unit_name: str
    name: str
    budget: Budget
    purpose: str | None
    goals: tuple[str, ...] | None
    rows: tuple[IndicatorRow, ...]
    line: int = 0
    title: str = ""
    year: int | None = None
    place: str = ""  # where it was found when the file has no lines: "table 3" in Word


@dataclass(frozen=True)
class TargetTables:
    """Every project table of one file, in file order, plus notes a person should read."""

    tables: tuple[ProjectTable, ...]
    source: str  # 'text', 'csv', 'docx' or 'xlsx'
    warnings: tuple[str, ...] = field(default=())


# --- entry points --------------------------------------------------------------------------


def read_tables(path: str | Path) -> TargetTables:
    """Read the target tables in file ``path``: CSV when it looks like one, else the text layout."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise JixiaoError(said("import_missing", path=path)) from None
    except IsADirectoryError:
        raise JixiaoError(said("import_directory", path=path)) from None
    except OSError as exc:
        raise JixiaoError(said("import_unreadable", path=path, detail=os_detail(exc))) from None
    if sniff(raw) != "text":
        # Word and Excel files, whatever their extension says; the readers load their libraries.
        from .formats import read_office
        return read_office(raw, str(path))
    text = decode(raw, str(path))
    if path.suffix.lower() == ".csv" or looks_like_csv(text):
        return parse_csv(text, str(path))
    return parse_text_layout(text, str(path))


_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(raw: bytes) -> str:
    """What ``raw`` holds, by its first bytes: ``'zip'`` (a .docx or .xlsx), ``'ole2'`` (a legacy
    .doc/.xls, or an Office file with a password) or ``'text'``; the file name is not trusted."""
    if raw.startswith(_ZIP):
        return "zip"
    if raw.startswith(_OLE2):
        return "ole2"
    return "text"


def decode(raw: bytes, source: str = "input") -> str:
    """The text of ``raw``: UTF-8 (a BOM is dropped), else GB18030 (which includes GBK) as older
    Chinese Word writes. UTF-16 — what Notepad and Excel call "Unicode" — is named as such with
    how to save the file as UTF-8; a NUL byte elsewhere is reported on its own line."""
    utf16 = _utf16(raw)
    if utf16:
        raise JixiaoError(said("utf16", path=source, bom=utf16))
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise JixiaoError(said("nul_byte", path=source, line=raw.count(b"\n", 0, nul) + 1))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise JixiaoError(f"{source}: line 1: expected UTF-8 or GB18030 text",
                          zh=f"{source}：第 1 行：应为 UTF-8 或 GB18030 编码的文本") from None


def _utf16(raw: bytes) -> str | None:
    """How ``raw`` shows that it is UTF-16 (its byte-order mark, or NUL bytes that are the high
    halves of ASCII characters and decode to clean text), ``None`` when it is not."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "BOM " + raw[:2].hex(" ").upper()
    head = raw[:4096]
    if b"\x00" not in head:
        return None  # UTF-8 and GB18030 text never holds a NUL byte
    little = head[1::2].count(0) >= head[0::2].count(0)
    try:
        text = head[: len(head) // 2 * 2].decode("utf-16-le" if little else "utf-16-be")
    except UnicodeDecodeError:
        return None
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    if "\x00" in text or printable < 0.95 * len(text):
        return None
    return "little-endian" if little else "big-endian"


MAX_TARGET_LENGTH = 1000
"""Most characters a 指标值 may have. Most are short (the longest of the sample tables has 25),
but qualitative targets in other provinces' tables run to whole sentences of a few hundred
characters, which must import; a cell of thousands is one pasted into the wrong column, and
would be read on every start."""


def check_rows(result: TargetTables, source: str) -> TargetTables:
    """``result`` unless a 指标值 is longer than ``MAX_TARGET_LENGTH`` or a project table
    repeats an indicator row exactly (same 一级/二级/三级指标, description and 指标值): then
    ``JixiaoError`` naming the line(s)."""
    repeats = []
    for table in result.tables:
        first: dict[tuple, int] = {}
        for row in table.rows:
            if len(row.target_text) > MAX_TARGET_LENGTH:
                raise JixiaoError(said("target_too_long", path=source, line=row.line,
                                      length=len(row.target_text), limit=MAX_TARGET_LENGTH))
            key = (row.level1, row.category, row.name, row.description, row.target_text)
            if key in first:
                repeats.append(said("duplicate_row", line=row.line, first=first[key],
                                    name=_shorten(row.name)))
            else:
                first[key] = row.line
    if repeats:
        shown = repeats[:SHOWN_REPEATS]
        more = (said("more_rows", count=len(repeats) - SHOWN_REPEATS)
                if len(repeats) > SHOWN_REPEATS else Said("", ""))
        rows = Said("; ".join(r.en for r in shown) + more.en,
                    "；".join(r.zh for r in shown) + more.zh)
        raise JixiaoError(said("duplicate_rows", path=source, rows=rows))
    return result


SHOWN_REPEATS = 10
"""How many repeated rows a refusal names: enough to find the pattern, not a screenful."""


# --- the Word text layout -------------------------------------------------------------------

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_UNIT_CELL = re.compile(r"^(\d{3,})\s*(.+)$")
# Characters that, right after a number, mean a quantity or a date rather than a unit name.
_NOT_A_NAME = "年月日号%％.．,，、-－~～/:：()（）+＋×*"
_INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值")
_HEADER_ALIASES = {
    "一级指标": {"一级指标"},
    "二级指标": {"二级指标"},
    "三级指标": {"三级指标"},
    "绩效指标描述": {"绩效指标描述", "指标描述", "指标内容"},
    "指标值": {"指标值", "目标值", "年度指标值", "绩效指标值"},
}
_MONEY_UNIT = re.compile(r"^单位：(万元|元)$")
_NAME_LABELS = {"项目名称"}
_TOTAL_LABELS = {"预算数", "年度预算数", "预算金额", "年度资金总额", "资金总额"}
_FISCAL_LABELS = {"其中：财政资金", "财政资金", "其中：财政拨款", "财政拨款"}
_OTHER_LABELS = {"其他资金", "其中：其他资金"}
_GOAL_LABELS = {"绩效目标", "年度绩效目标", "年度目标", "总体目标"}
_PURPOSE_LABELS = {"资金用途", "项目资金用途"}
_SECTION_LABELS = {"预算规模及资金用途", "预算规模"}


@dataclass
class _Token:
    kind: str  # 'cell' or 'text' (an untabbed line that is not a continuation)
    text: str
    line: int


def _squash(text: str) -> str:
    """A label with all white space removed and ASCII colons made full-width: Word pads some
    labels (``其中：财政    资金``) and hand-made tables mix ``:`` and ``：``."""
    return re.sub(r"\s+", "", text).replace(":", "：")


def _is_unit_cell(text: str) -> bool:
    m = _UNIT_CELL.match(text)
    return bool(m) and len(m.group(2)) >= 2 and m.group(2)[0] not in _NOT_A_NAME


def _is_table_label(text: str) -> bool:
    s = _squash(text)
    return bool(_MONEY_UNIT.match(s)) or s in _NAME_LABELS


def _tokenize(text: str) -> tuple[list[_Token], int]:
    """Cells and title lines, with continuation paragraphs already joined to their cell."""
    lines = text.splitlines()
    raw: list[_Token] = []
    for number, line in enumerate(lines, start=1):
        line = _BOOKMARK.sub("", line)
        if line.startswith("\t"):
            # Some exports put a whole table row on one line, cells separated by tabs.
            raw.extend(_Token("cell", cell.strip(), number) for cell in line[1:].split("\t"))
        elif line.strip():
            raw.append(_Token("text", line.strip(), number))
    tokens: list[_Token] = []
    for i, tok in enumerate(raw):
        if tok.kind == "text" and not _starts_table(raw, i + 1) and tokens and tokens[-1].kind == "cell":
            # A paragraph break inside a cell: Word writes the second paragraph without the tab.
            prev = tokens[-1]
            prev.text = f"{prev.text}\n{tok.text}" if prev.text else tok.text
            continue
        tokens.append(tok)
    return tokens, len(lines)


def _starts_table(tokens: list, i: int) -> bool:
    """Whether ``tokens[i]`` is a unit cell followed by the 单位/项目名称 cell of a new table."""
    if i >= len(tokens) or tokens[i].kind != "cell" or not _is_unit_cell(tokens[i].text):
        return False
    # A unit cell as the very last token is a table cut short: start it, so the error says so.
    return i + 1 == len(tokens) or (tokens[i + 1].kind == "cell" and _is_table_label(tokens[i + 1].text))


class _Cursor:
    """Walks the tokens; every failure names the line and what was expected there."""

    def __init__(self, tokens: list[_Token], last_line: int, source: str):
        self.tokens, self.i, self.last_line, self.source = tokens, 0, last_line, source

    def peek(self, k: int = 0) -> _Token | None:
        j = self.i + k
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at_table_start(self) -> bool:
        tok = self.peek()
        if tok is None:
            return False
        if tok.kind == "text":
            return _starts_table(self.tokens, self.i + 1)
        return _starts_table(self.tokens, self.i)

    def where(self, tok: _Token) -> str:
        """Where ``tok`` is, as a person finds it in the file."""
        return places.line(tok.line)

    def fail(self, expected: str, tok: _Token | None = None, found: str | None = None) -> JixiaoError:
        if tok is None:
            tok = self.peek()
        if tok is None:
            where = places.end_of_file(self.last_line + 1)
            what = found or say("the end of the file", "文件末尾")
        else:
            where = self.where(tok)
            what = found or (f"“{_shorten(tok.text)}”" if tok.text else _EMPTY_CELL())
        return JixiaoError(say(
            f"{self.source}: {where}: expected {expected}, found {what}; is this a Word text "
            "export of 项目支出绩效目标表, or a CSV with a header row? Nothing was stored.",
            f"{self.source}：{where}：此处应为{expected}，实际是{what}。这是 Word 导出的项目支出"
            "绩效目标表文本，或带表头行的 CSV 吗？未保存任何内容。"))


def _LEVEL1_OR_EMPTY() -> str:  # noqa: N802
    return say("a 一级指标 (e.g. 产出指标) or an empty cell at the start of an indicator row",
               "指标行开头的一级指标（如产出指标）或空单元格")


def _FIRST_LEVEL1() -> str:  # noqa: N802
    return say("the 一级指标 of the first indicator row", "第一个指标行的一级指标")


def _CATEGORY() -> str:  # noqa: N802
    return say("a 二级指标 (e.g. 数量指标)", "二级指标（如数量指标）")


def _NAME() -> str:  # noqa: N802
    return say("a 三级指标 (the indicator's name)", "三级指标（指标名称）")


def _TARGET() -> str:  # noqa: N802
    return say("the 指标值 (the target)", "指标值")


def _SOME_ROW() -> str:  # noqa: N802
    return say("at least one indicator row after the header row", "表头行之后至少一个指标行")


def _EMPTY_CELL() -> str:  # noqa: N802 - reads as the constant it stands for
    return say("an empty cell", "空单元格")


def _no_satisfaction(place: str, name: str) -> str:
    """The warning for a table (not the file's last) without 满意度指标 rows."""
    return say(f"{place}: {name}: the table has no 满意度指标 rows",
               f"{place}：{name}：该表没有满意度指标行")


def _shorten(text: str, width: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def parse_text_layout(text: str, source: str = "input") -> TargetTables:
    """Read every table of a Word text export; raise ``JixiaoError`` at the first line that does
    not fit the layout (including a file that ends mid-table)."""
    tokens, last_line = _tokenize(text)
    cur = _Cursor(tokens, last_line, source)
    if cur.peek() is None:
        raise JixiaoError(f"{source}: line 1: expected a target table, found an empty file; "
                          "nothing was stored.",
                          zh=f"{source}：第 1 行：应为目标表，但文件是空的；未保存任何内容。")
    tables: list[ProjectTable] = []
    warnings: list[str] = []
    while cur.peek() is not None:
        if cur.peek().kind == "text" and cur.peek(1) is None and cur.peek().text.endswith("表"):
            cur.take()
            raise cur.fail(say("the unit cell after the title: unit code and name (e.g. "
                               "“301101天津市人民政府办公厅”)",
                               "标题后的单位单元格：单位代码和名称（如“301101天津市人民政府办公厅”）"))
        if not cur.at_table_start():
            raise cur.fail(say(
                "a target table: a title line, then a cell with the unit code and name "
                "(e.g. “301101天津市人民政府办公厅”) and the 单位：万元 cell",
                "一张目标表：标题行，然后是单位代码和名称的单元格（如“301101天津市人民政府办公厅”）"
                "和“单位：万元”单元格"))
        tables.append(_read_table(cur, warnings))
    _check_complete(tables, cur, warnings)
    return check_rows(TargetTables(tuple(tables), "text", tuple(warnings)), source)


_LAST_LEVEL1 = "满意度"


def _check_complete(tables: list[ProjectTable], cur: _Cursor, warnings: list[str]) -> None:
    """Refuse a file that ends at a row boundary before its last table is complete.

    Every 项目支出绩效目标表 ends with its 满意度指标 rows, so a last table without any is
    taken as a file cut short (a lost tail would otherwise import silently as a smaller table).
    An earlier table without them is only worth a warning: the next table proves the file went on.
    """
    for table in tables[:-1]:
        if not any(_LAST_LEVEL1 in r.level1 for r in table.rows):
            warnings.append(_no_satisfaction(places.line(table.line), table.name))
    last = tables[-1]
    if not any(_LAST_LEVEL1 in r.level1 for r in last.rows):
        raise cur.fail(say(
            f"more indicator rows: the table “{_shorten(last.name, 30)}” that starts at line "
            f"{last.line} has no 满意度指标 rows, which end every 项目支出绩效目标表, so the file "
            "looks truncated",
            f"更多指标行：从第 {last.line} 行开始的表“{_shorten(last.name, 30)}”没有满意度指标行，"
            "而每张项目支出绩效目标表都以它结尾，文件看来被截断了"))


def _read_table(cur: _Cursor, warnings: list[str]) -> ProjectTable:
    title = cur.take().text if cur.peek().kind == "text" else ""
    unit_tok = cur.take()
    m = _UNIT_CELL.match(unit_tok.text)
    unit_code, unit_name = m.group(1), m.group(2).strip()
    header: list[_Token] = []
    while True:
        tok = cur.peek()
        if tok is None or cur.at_table_start():
            raise cur.fail(say("the indicator header row (一级指标, 二级指标, 三级指标, 绩效指标描述, "
                               "指标值)", "指标表头行（一级指标、二级指标、三级指标、绩效指标描述、指标值）"))
        if tok.kind == "cell" and _squash(tok.text) == "一级指标":
            break
        if tok.kind == "cell" and _squash(tok.text) in _HEADER_ALIASES["二级指标"]:
            # The header row is there but its first cell is not: point at that cell.
            raise cur.fail(say("the 一级指标 cell that starts the indicator header row",
                               "指标表头行开头的“一级指标”单元格"),
                           tok=header[-1] if header else tok)
        if tok.kind == "text":
            raise cur.fail(say("a table cell (a line starting with a tab)",
                               "表格单元格（以制表符开头的行）"))
        header.append(cur.take())
    name, budget, purpose, goals = _read_header(cur, unit_tok, header, warnings)
    for label in _INDICATOR_HEADER:
        tok = cur.peek()
        if tok is None or tok.kind != "cell" or _squash(tok.text) not in _HEADER_ALIASES[label]:
            raise cur.fail(say(f"the {label} cell of the indicator header row",
                               f"指标表头行的“{label}”单元格"))
        cur.take()
    rows = _read_rows(cur)
    return ProjectTable(unit_code, unit_name, name, budget, purpose, goals, rows,
                        line=unit_tok.line, title=_strip_title(title))


def _strip_title(title: str) -> str:
    return re.sub(r"^\d+\s*[.．、]\s*", "", title).strip()


def _read_header(cur: _Cursor, unit_tok: _Token, cells: list[_Token], warnings: list[str]):
    """项目名称, the budget, 资金用途 and 绩效目标 from the cells before the indicator header."""
    name = None
    amounts: dict[str, float | None] = {}
    purpose_parts: list[str] = []
    goal_parts: list[str] = []
    scale = 1.0
    i = 0
    while i < len(cells):
        tok = cells[i]
        label = _squash(tok.text)
        value = cells[i + 1] if i + 1 < len(cells) else None
        if _MONEY_UNIT.match(label):
            # 单位：万元 is the norm; a table in 元 is converted so budgets are always 万元.
            scale = 1 / 10000 if label.endswith("元") and not label.endswith("万元") else 1.0
            i += 1
            continue
        if label in _SECTION_LABELS:
            i += 1
            continue
        key = ("name" if label in _NAME_LABELS else "total" if label in _TOTAL_LABELS
               else "fiscal" if label in _FISCAL_LABELS else "other" if label in _OTHER_LABELS
               else "goals" if label in _GOAL_LABELS else "purpose" if label in _PURPOSE_LABELS else None)
        if key is None:
            if tok.text:
                (goal_parts if goal_parts else purpose_parts).append(tok.text)
            i += 1
            continue
        if value is None:
            raise cur.fail(say(f"the value of {tok.text}", f"“{tok.text}”的值"), tok=cur.peek(),
                           found=say("the indicator header row", "指标表头行"))
        if key == "name":
            if not value.text:
                raise cur.fail(say("the project name after 项目名称", "项目名称后的项目名"), tok=value)
            name = value.text
        elif key in ("total", "fiscal", "other"):
            amounts[key] = _amount(value, cur, tok.text, scale)
        elif key == "goals":
            goal_parts.append(value.text)
        else:
            purpose_parts.append(value.text)
        i += 2
    if name is None:
        raise cur.fail(say("a 项目名称 cell followed by the project name",
                           "“项目名称”单元格及其后的项目名"),
                       tok=cells[0] if cells else cur.peek())
    budget = Budget(amounts.get("total"), amounts.get("fiscal"), amounts.get("other"))
    if budget.total is None:
        warnings.append(say(f"{cur.where(unit_tok)}: {name}: the table gives no 预算数",
                            f"{cur.where(unit_tok)}：{name}：表中没有预算数"))
    goals = tuple(p.strip() for part in goal_parts for p in part.split("\n") if p.strip())
    purpose = "\n".join(p for p in purpose_parts if p)
    return name, budget, purpose, goals


def _amount(tok: _Token, cur: _Cursor, label: str, scale: float = 1.0) -> float | None:
    text = tok.text.replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        return round(float(text) * scale, 6)
    except ValueError:
        raise cur.fail(say(f"an amount in 万元 for {_squash(label)}",
                           f"{_squash(label)}的金额（万元）"), tok=tok) from None


def _read_rows(cur: _Cursor) -> tuple[IndicatorRow, ...]:
    rows: list[IndicatorRow] = []
    level1 = category = ""
    while cur.peek() is not None and not cur.at_table_start():
        start = cur.peek()
        cells: list[_Token] = []
        for label in _INDICATOR_HEADER:
            tok = cur.peek()
            if tok is None or tok.kind != "cell" or (cells and cur.at_table_start()):
                raise cur.fail(say(
                    f"the {label} cell of the indicator row that starts at line {start.line} "
                    f"(cell {len(cells) + 1} of 5)",
                    f"从第 {start.line} 行开始的指标行的“{label}”单元格（第 {len(cells) + 1} 个，共 5 个）"),
                    tok=tok)
            cells.append(cur.take())
        l1, cat, name, desc, target = cells
        if l1.text:
            if not _looks_like_level(l1.text, 10):
                raise cur.fail(_LEVEL1_OR_EMPTY(), tok=l1)
            level1, category = l1.text, ""
        elif not level1:
            raise cur.fail(_FIRST_LEVEL1(), tok=l1)
        if cat.text:
            if not _looks_like_level(cat.text, 16):
                raise cur.fail(_CATEGORY(), tok=cat)
            category = cat.text
        elif not category:
            raise cur.fail(_CATEGORY(), tok=cat)
        if not name.text:
            raise cur.fail(_NAME(), tok=name)
        if not target.text:
            raise cur.fail(_TARGET(), tok=target)
        rows.append(IndicatorRow(level1, category, name.text, desc.text, target.text, line=start.line))
    if not rows:
        raise cur.fail(_SOME_ROW())
    return tuple(rows)


def _looks_like_level(text: str, width: int) -> bool:
    # 一级/二级指标 are short labels; a long sentence here means cells have slipped out of place.
    return "\n" not in text and len(text) <= width and not re.search(r"[≥≤<>%\d]", text)


# --- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = (
    ("unit_code", "单位编码", "unit_code"),
    ("unit_name", "单位名称", "unit_name"),
    ("project", "项目名称", "project"),
    ("budget_total", "预算数", "budget_total"),
    ("budget_fiscal", "财政资金", "budget_fiscal"),
    ("budget_other", "其他资金", "budget_other"),
    ("level1", "一级指标", "level1"),
    ("category", "二级指标", "category"),
    ("name", "三级指标", "name"),
    ("description", "绩效指标描述", "description"),
    ("target", "指标值", "target"),
    ("year", "年度", "year"),
    ("purpose", "资金用途", "purpose"),
    ("goals", "绩效目标", "goals"),
    ("nature", "指标性质", "nature"),
    ("value", "解读数值", "value"),
    ("unit", "度量单位", "unit"),
    ("measure", "计量方式", "measure"),
    ("start", "起始日期", "start"),
    ("end", "截止日期", "end"),
    ("wanted", "期望答复", "wanted"),
    ("reading_source", "解读来源", "reading_source"),
)
"""``(key, Chinese header, English header)`` of every CSV column, in the order written — the
one header mapping of every table format (CSV here, xlsx alike).

年度, 资金用途, 绩效目标 and the reading columns are optional on reading: without 年度 the year is
found as for the text layout; without 资金用途/绩效目标 an import keeps what is stored. 绩效目标
holds one goal per line. The reading columns (``READING_COLUMNS``) split a target the way
provincial systems do (the 四川 一体化 layout: 指标性质 ``=``/``≥``/``≤``/``定性`` | 指标值 |
度量单位; plus 解读数值 (the number, or ``LOW-HIGH``, when it is not the one in 指标值), 计量方式
``累计``/``水平``, 起始日期, 截止日期, 期望答复 ``是``/``否`` and 解读来源 ``确认``/``覆盖``); where a row fills them they settle its reading (``Indicator.reading``).
"""

READING_COLUMNS = ("nature", "value", "unit", "measure", "start", "end", "wanted", "reading_source")
"""The optional columns that settle the reading of a 指标值 (see ``CSV_COLUMNS``)."""

_REQUIRED = ("unit_code", "unit_name", "project", "level1", "category", "name", "target")
_OPTIONAL = ("budget_total", "budget_fiscal", "budget_other", "description", "year", "purpose",
             "goals") + READING_COLUMNS


def _header_key(cell: str) -> str | None:
    c = re.sub(r"\s+", "", cell.lstrip("\ufeff")).lower()
    for key, zh, en in CSV_COLUMNS:
        if c in (zh, en):
            return key
    return None


def header_keys(cells) -> set[str]:
    """The known columns (``CSV_COLUMNS`` keys) a header row names, for any table-shaped input."""
    return {k for k in map(_header_key, cells) if k is not None}


def looks_like_csv(text: str) -> bool:
    """Whether the first non-blank line is a CSV header naming at least three known columns."""
    for line in text.splitlines():
        if line.strip():
            cells = next(csv.reader([line]), [])
            return len(header_keys(cells)) >= 3
    return False


def parse_csv(text: str, source: str = "input") -> TargetTables:
    """Read a flat CSV (one row per indicator) into project tables, grouped in first-seen order."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))

    def records():
        try:
            for record in reader:
                yield reader.line_num, record
        except csv.Error as exc:
            line = max(reader.line_num, 1)
            header = reader.line_num <= 1
            raise JixiaoError(
                f"{source}: line {line}: expected {'a CSV header row' if header else 'a CSV row'} "
                f"({exc})",
                zh=f"{source}：第 {line} 行：应为{'CSV 表头行' if header else 'CSV 数据行'}（{exc}）") from None

    return parse_rows(records(), source, kind="csv")


def parse_rows(records, source: str = "input", *, kind: str = "csv") -> TargetTables:
    """Read rows in the CSV column layout: ``records`` yields ``(line, cells)``, the header row
    first. Shared by CSV and spreadsheets (``kind`` 'xlsx'), so both know the same columns."""
    records = iter(records)
    try:
        first_line, header = next(records)
    except StopIteration:
        raise JixiaoError(f"{source}: line 1: expected a CSV header row, found an empty file; "
                          "nothing was stored.",
                          zh=f"{source}：第 1 行：应为 CSV 表头行，但文件是空的；未保存任何内容。") from None
    columns: dict[str, int] = {}
    warnings: list[str] = []
    for index, cell in enumerate(header):
        key = _header_key(cell)
        if key is None:
            if cell.strip():
                warnings.append(say(f"{source}: column “{cell.strip()}” is not a known column and "
                                    "was ignored",
                                    f"{source}：“{cell.strip()}”不是已知的列，已忽略"))
        elif key in columns:
            raise JixiaoError(f"{source}: line {first_line}: column {cell.strip()!r} appears twice",
                              zh=f"{source}：第 {first_line} 行：列 {cell.strip()!r} 出现了两次")
        else:
            columns[key] = index
    missing = [k for k in _REQUIRED if k not in columns]
    if missing:
        names = ", ".join(f"{zh}/{en}" for key, zh, en in CSV_COLUMNS if key in missing)
        raise JixiaoError(f"{source}: line {first_line}: expected a CSV header with the columns "
                          f"{names}; they are missing. Nothing was stored.",
                          zh=f"{source}：第 {first_line} 行：CSV 表头缺少这些列：{names}；未保存任何内容。")
    groups: dict[tuple, dict] = {}
    last_level1: dict[tuple, tuple[str, str]] = {}
    for line, record in records:
        if not any(c.strip() for c in record):
            continue
        row = {k: (record[i].strip() if i < len(record) else "") for k, i in columns.items()}
        _csv_row(row, line, source, groups, last_level1)
    if not groups:
        raise JixiaoError(f"{source}: line {first_line + 1}: expected at least one indicator row "
                          "after the header; nothing was stored.",
                          zh=f"{source}：第 {first_line + 1} 行：表头之后应至少有一个指标行；未保存任何内容。")
    tables = tuple(
        ProjectTable(g["unit_code"], g["unit_name"], g["name"], g["budget"],
                     g["purpose"], g["goals"], tuple(g["rows"]), line=g["line"], year=g["year"])
        for g in groups.values()
    )
    return check_rows(TargetTables(tables, kind, tuple(warnings)), source)


def _csv_row(row: dict, line: int, source: str, groups: dict, last_level1: dict) -> None:
    def fail(expected: str, key: str) -> JixiaoError:
        zh, en = next((z, e) for k, z, e in CSV_COLUMNS if k == key)
        found = f"“{_shorten(row.get(key, ''))}”" if row.get(key) else _EMPTY_CELL()
        return JixiaoError(say(
            f"{source}: line {line}: expected {expected} in column {zh}/{en}, found {found}; "
            "nothing was stored.",
            f"{source}：第 {line} 行：{zh}列应为{expected}，实际是{found}；未保存任何内容。"))

    for key, what in (("unit_code", say("the unit code", "单位代码")),
                      ("unit_name", say("the unit name", "单位名称")),
                      ("project", say("the project name", "项目名称")),
                      ("name", say("the 三级指标", "三级指标")), ("target", say("the 指标值", "指标值"))):
        if not row[key]:
            raise fail(what, key)
    year = None
    if row.get("year"):
        if not re.fullmatch(r"\d{4}", row["year"]):
            raise fail(say("a four-digit year", "四位数的年份"), "year")
        year = int(row["year"])
    key = (year, row["unit_code"], row["project"])
    budget = Budget(*(_csv_amount(row, k, fail) for k in ("budget_total", "budget_fiscal", "budget_other")))
    purpose = row["purpose"] if "purpose" in row else None
    goals = tuple(g.strip() for g in row["goals"].split("\n") if g.strip()) if "goals" in row else None
    group = groups.get(key)
    if group is None:
        group = groups[key] = {"unit_code": row["unit_code"], "unit_name": row["unit_name"],
                               "name": row["project"], "budget": budget, "purpose": purpose,
                               "goals": goals, "rows": [], "line": line, "year": year}
    else:
        # Project columns repeat on every row; a row that disagrees is a mistake worth stopping for.
        for k, mine, theirs in (("unit_name", row["unit_name"], group["unit_name"]),
                                ("budget_total", budget.total, group["budget"].total),
                                ("budget_fiscal", budget.fiscal, group["budget"].fiscal),
                                ("budget_other", budget.other, group["budget"].other)):
            if mine != theirs:
                raise fail(say(f"the same value as on line {group['line']} for this project "
                               f"({theirs})",
                               f"与本项目第 {group['line']} 行相同的值（{theirs}）"), k)
    level1, category = row["level1"], row["category"]
    prev = last_level1.get(key, ("", ""))
    if not level1:
        level1 = prev[0]
        if not level1:
            raise fail(say("the 一级指标", "一级指标"), "level1")
        category = category or prev[1]
    if not category:
        raise fail(say("the 二级指标", "二级指标"), "category")
    last_level1[key] = (level1, category)
    reading = {k: row[k] for k in READING_COLUMNS if row.get(k)}
    if reading:
        # Checked here, so a bad cell stops the import naming its line and column.
        from .overrides import OverrideError, override_from_columns

        try:
            override_from_columns(row["target"], reading)
        except OverrideError as exc:
            raise fail(say(f"a reading the columns can settle ({exc})",
                           f"这些列能确定的解读（{exc}）"), exc.column) from None
    group["rows"].append(IndicatorRow(level1, category, row["name"], row.get("description", ""),
                                      row["target"], line=line, reading=reading or None))


def _csv_amount(row: dict, key: str, fail) -> float | None:
    text = row.get(key, "").replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise fail(say("an amount in 万元", "以万元计的金额"), key) from None


def write_csv(dataset, out, *, lang: str = "zh", year: int | None = None) -> int:
    """Write the target tables of ``dataset`` (projects of ``year``, or all) as CSV to ``out``.

    Headers are Chinese for ``lang='zh'``, English for ``'en'``. Returns the number of rows.
    Reading the result with ``parse_csv`` gives back the same units, projects and indicators.
    """
    from .overrides import override_columns, override_of

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([zh if lang == "zh" else en for _, zh, en in CSV_COLUMNS])
    count = 0
    for unit in dataset.unit_list():
        for project in dataset.projects_of(unit.code):
            if year is not None and project.year != year:
                continue
            b = project.budget
            for ind in dataset.indicators_of(project.id):
                writer.writerow([
                    unit.code, unit.name, project.name,
                    _fmt_amount(b.total), _fmt_amount(b.fiscal), _fmt_amount(b.other),
                    ind.level1, ind.category, ind.name, ind.description, ind.target_text,
                    str(project.year), project.purpose, "\n".join(project.goals),
                    *override_columns(override_of(ind), lang),
                ])
                count += 1
    return count


def _fmt_amount(value: float | None) -> str:
    if value is None:
        return ""
    # Two decimals as the tables print them, unless that would lose digits.
    text = f"{value:.2f}"
    return text if float(text) == value else repr(value)


# --- the budget year ------------------------------------------------------------------------

_YEAR = re.compile(r"(20\d{2})\s*年")


def year_from_text(tables: TargetTables) -> tuple[int | None, str]:
    """The budget year the tables name (project names, titles, 指标值 deadlines) and why.

    Returns ``(None, reason)`` when no year is named. When several are, the most frequent wins
    and the reason says so.
    """
    mentions: Counter = Counter()
    examples: dict[int, list[str]] = {}
    for t in tables.tables:
        sources = [("项目名称", t.name)] + [("指标值", r.target_text) for r in t.rows]
        if t.title and t.title != t.name:
            sources.insert(0, (say("title", "标题"), t.title))
        for label, text in sources:
            for y in _YEAR.findall(text):
                y = int(y)
                mentions[y] += 1
                ex = examples.setdefault(y, [])
                shown = say(f"{label} “{_shorten(text, 30)}”", f"{label}“{_shorten(text, 30)}”")
                if len(ex) < 2 and shown not in ex:
                    ex.append(shown)
    if not mentions:
        return None, say("the tables name no year", "目标表中没有写明年份")
    (year, n), *others = mentions.most_common()
    reason = say(f"named {n}× in the tables, e.g. {', '.join(examples[year])}",
                 f"表中出现 {n} 次，例如{'、'.join(examples[year])}")
    if others:
        reason += say("; also named: " + ", ".join(f"{y} ({c}×)" for y, c in others),
                      "；另有：" + "、".join(f"{y}（{c} 次）" for y, c in others))
    return year, reason
