"""Reading and writing the catalogue's files: CSV, and XLSX through openpyxl (by the file's name).

Cells are text either way. A cell that a spreadsheet would take for a formula (it starts with
`=`, `+`, `-`, `@`, a tab or a carriage return) is written with a `'` in front, and so is a
cell that starts with `'` itself; reading takes exactly that one `'` off again (a `'` followed by
one of those characters or by another `'`), so text survives the round trip as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator

import openpyxl

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


class FileFormatError(ValueError):
    """The file cannot be read as the catalogue's format (not CSV or XLSX, not UTF-8, ...)."""


def kind_of(name: str) -> str:
    """ "xlsx" for a name ending in .xlsx, else "csv"."""
    return "xlsx" if str(name).lower().endswith(".xlsx") else "csv"


def escape(text: str) -> str:
    """A cell as written: formula-like text and text starting with `'` get a leading `'`."""
    if text and (text.startswith(TRIGGERS) or text.startswith(QUOTE)):
        return QUOTE + text
    return text


def unescape(text: str) -> str:
    """A cell as read: the `'` escape() added taken off again."""
    if len(text) > 1 and text[0] == QUOTE and (text[1] in TRIGGERS or text[1] == QUOTE):
        return text[1:]
    return text


def read_rows(file, name: str) -> Iterator[list[str]]:
    """The rows of `file` (binary or text), the header first, cells unescaped."""
    if kind_of(name) == "xlsx":
        yield from _read_xlsx(file)
        return
    text = file
    if isinstance(file.read(0), bytes):
        text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    try:
        for row in csv.reader(text):
            yield [unescape(cell) for cell in row]
    except UnicodeDecodeError:
        raise FileFormatError("The file is not UTF-8 text; save it as CSV (UTF-8).") from None
    except csv.Error as exc:
        raise FileFormatError(f"The file is not valid CSV: {exc}.") from None
    finally:
        if text is not file:
            text.detach()


def write_rows(file, name: str, rows: Iterable[list[str]]) -> int:
    """Write the rows (the header first) to `file` (binary or text); how many data rows."""
    count = -1
    if kind_of(name) == "xlsx":
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("catalogue")
        for row in rows:
            sheet.append([escape(cell) for cell in row])
            count += 1
        book.save(file)
        return max(count, 0)
    text = file
    if not isinstance(file, io.TextIOBase):
        text = io.TextIOWrapper(file, encoding="utf-8", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    for row in rows:
        writer.writerow([escape(cell) for cell in row])
        count += 1
    text.flush()
    if text is not file:
        text.detach()
    return max(count, 0)


def _read_xlsx(file) -> Iterator[list[str]]:
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not XLSX
        raise FileFormatError(f"The file is not a readable XLSX workbook ({exc}).") from None
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield [unescape(_cell(value)) for value in row]
    book.close()


def _cell(value) -> str:
    """A cell a spreadsheet may have typed (a number, a date) as the text the file means."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)
