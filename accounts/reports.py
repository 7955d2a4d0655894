"""The statistics report as XLSX, built with openpyxl's write-only mode (Decision 7)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.statistics import StatisticsRow

# Same order as ``accounts.statistics.COLUMNS``.
HEADER = (
    ("Date", 12),
    ("Service", 14),
    ("Process type", 14),
    ("Points", 14),
    ("Unique points", 16),
    ("Elements", 14),
    ("Processes", 12),
)


def statistics_workbook(rows: Iterable[StatisticsRow], *, title: str):
    """Write the rows to a spooled temporary file and return it rewound.

    Write-only mode streams rows to disk as they come, so memory stays flat whatever the
    number of rows; the caller streams the file back in chunks.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Statistics")
    for index, (_, width) in enumerate(HEADER, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    header = []
    for name, _ in HEADER:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    target = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    workbook.save(target)
    target.seek(0)
    return target
