"""Caps on an import file, checked before and while it is read: a bomb is refused, not parsed."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from envledger.errors import InputError, InputProblem
from envledger.settings import Settings, get_settings

MB = 1_000_000
# A small part (styles, an almost empty sheet) may compress well above any sensible
# ratio without being a bomb; only parts above this size are held to the ratio.
_RATIO_FREE_BYTES = MB


@dataclass(frozen=True)
class ReadLimits:
    """How large an import file may be, in bytes, rows, columns and unzipped XLSX size."""

    max_bytes: int
    """Largest file [bytes]."""
    max_rows: int
    """Most rows below the header, blank rows included."""
    extra_columns: int
    """Columns allowed beyond those of the file's kind."""
    max_unzipped_bytes: int
    """Largest total uncompressed size of an XLSX workbook's parts [bytes]."""
    max_zip_ratio: float
    """Largest uncompressed/compressed ratio of an XLSX part over 1 MB [-]."""

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ReadLimits:
        """The limits of ``settings`` (the environment's when None)."""
        settings = settings or get_settings()
        return cls(
            max_bytes=int(settings.max_import_mb * MB),
            max_rows=settings.max_import_rows,
            extra_columns=settings.max_extra_columns,
            max_unzipped_bytes=int(settings.max_xlsx_unzipped_mb * MB),
            max_zip_ratio=settings.max_xlsx_zip_ratio,
        )


def megabytes(count: int) -> str:
    """A size [bytes] as people read it: '50.0 MB', '0.3 MB', '0.001 MB'."""
    value = count / MB
    return f"{value:,.1f} MB" if value >= 10 else f"{value:.3g} MB"


def check_size(size: int, file_name: str, limits: ReadLimits) -> None:
    """Refuse a file of ``size`` [bytes] above the limit, before it is read."""
    if size > limits.max_bytes:
        raise InputError([InputProblem(
            file_name, None, None,
            f"is {megabytes(size)}; import files are limited to {megabytes(limits.max_bytes)}"
            " (ENVLEDGER_MAX_IMPORT_MB, or --max-file-mb on the command line): split it",
        )])


def check_zip(data: bytes, file_name: str, limits: ReadLimits) -> None:
    """Refuse an XLSX whose parts would unzip too large or too steeply (a zip bomb).

    Only the central directory is read. The sizes it declares are binding: Python's
    zipfile stops a part at its declared size and fails its CRC check beyond it.
    """
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip at all: the workbook reader says so in its own words
    total = sum(part.file_size for part in parts)
    if total > limits.max_unzipped_bytes:
        raise InputError([InputProblem(
            file_name, None, None,
            f"unzips to {megabytes(total)}; workbooks are limited to"
            f" {megabytes(limits.max_unzipped_bytes)} unzipped (ENVLEDGER_MAX_XLSX_UNZIPPED_MB)"
            ": save it as CSV or split it",
        )])
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FREE_BYTES and ratio > limits.max_zip_ratio:
            raise InputError([InputProblem(
                file_name, None, None,
                f"part {part.filename} expands {ratio:,.0f} times when unzipped (at most"
                f" {limits.max_zip_ratio:,.0f}, ENVLEDGER_MAX_XLSX_ZIP_RATIO): not a workbook"
                " Excel writes; save it again from Excel or as CSV",
            )])
