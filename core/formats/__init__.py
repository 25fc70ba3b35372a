"""Word and Excel files in and out: the formats finance offices exchange (issue 16).

The readers turn a ``.docx`` (python-docx) or ``.xlsx`` (openpyxl) into the same ``TargetTables``
that ``core.tables`` reads from text and CSV; ``xlsx_export`` builds workbooks. The libraries are
imported only when such a file is met, so ``import jixiao.core`` and the command line stay light.

A file is judged by its bytes, never by its name (``core.tables.sniff``): a ZIP archive is a
.docx or a .xlsx according to what it holds, an OLE2 compound file is a legacy .doc/.xls or an
Office file with a password, and both of those are refused with what to do instead.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import JixiaoError
from ..faults import say
from ..tables import TargetTables, sniff
MAX_UNPACKED = 512 * 1024 * 1024
"""The most a .docx/.xlsx may unpack to: a province's workbook is far below it, and a crafted
archive that unpacks to gigabytes (a 'zip bomb') is refused before any library reads it."""


def read_office(raw: bytes, source: str) -> TargetTables:
    """The target tables of the Word or Excel file whose bytes are ``raw`` (named ``source``).

    Raises ``JixiaoError`` naming the file and what to do for a file that is password-protected,
    damaged, in a legacy format, or neither a Word document nor an Excel workbook."""
    kind = sniff(raw)
    if kind == "ole2":
        raise JixiaoError(_ole2_message(raw, source))
    if kind != "zip":
        raise JixiaoError(say("office_other_zip", path=source))
    try:
        members = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise JixiaoError(damaged(source, say("zip_broken"))) from None
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise JixiaoError(say("office_too_big", path=source, limit=MAX_UNPACKED // 2**20))
    names = {m.filename for m in members}
    if "word/document.xml" in names:
        from .docx_tables import read_docx
        return read_docx(raw, source)
    if "xl/workbook.xml" in names:
        from .xlsx_tables import read_xlsx
        return read_xlsx(raw, source)
    raise JixiaoError(say("office_other_zip", path=source))


def damaged(source: str, why: str) -> str:
    """The message for an Office file the library cannot open."""
    return say("office_damaged", path=source, why=why)


def _utf16(name: str) -> bytes:
    # Stream names in an OLE2 directory are UTF-16LE.
    return name.encode("utf-16-le")


def _ole2_message(raw: bytes, source: str) -> str:
    if _utf16("EncryptedPackage") in raw or _utf16("EncryptionInfo") in raw:
        return say("office_password", path=source)
    if _utf16("WordDocument") in raw:
        return say("office_legacy_doc", path=source)
    if _utf16("Workbook") in raw or _utf16("Book") in raw:
        return say("office_legacy_xls", path=source)
    return say("office_legacy", path=source)
