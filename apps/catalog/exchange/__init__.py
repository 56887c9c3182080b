"""Import and export of the catalogue as CSV or XLSX.

One row per variant with its product's columns (columns.py); import checks every row and writes
everything in one transaction, or nothing (importer.py); export writes the same columns
(exporter.py); other modules add columns of their own (providers.py). Used by
`rustok catalog import|export` and, later, the admin: functions that take a file and an actor
and return a report; they print nothing.
"""

from apps.catalog.exchange.exporter import export_file, export_rows
from apps.catalog.exchange.files import FileFormatError
from apps.catalog.exchange.importer import ImportReport, RowChange, RowError, import_file, import_rows
from apps.catalog.exchange.providers import ColumnProvider, ProvidedRow, register, unregister

__all__ = [
    "ColumnProvider",
    "FileFormatError",
    "ImportReport",
    "ProvidedRow",
    "RowChange",
    "RowError",
    "export_file",
    "export_rows",
    "import_file",
    "import_rows",
    "register",
    "unregister",
]
