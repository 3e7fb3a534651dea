"""Readers for legacy Office files (.doc, .wps, .et, and .xls that xlrd cannot read): LibreOffice
headless converts them to DOCX/XLSX in a temporary folder, and the DOCX/XLSX readers read that.

Each worker process keeps its own LibreOffice profile (``-env:UserInstallation``), so two
soffice instances never share one (they would block each other or fail); a conversion that
hangs is killed, with the processes it started, after ``CONVERT_TIMEOUT`` seconds. Without
LibreOffice the error says what to install.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from parsers.blocks import Block
from parsers.readers.office import read_docx, read_xls, read_xlsx

CONVERT_TIMEOUT = 60.0  # seconds; a first run also creates the worker's profile (a few seconds)
SOFFICE_NAMES = ("soffice", "libreoffice")
INSTALL_HINT = ("LibreOffice is needed to read it (Debian: apt-get install libreoffice-writer-nogui "
                "libreoffice-calc-nogui)")
# LibreOffice's export filters for the formats the readers take.
FILTERS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}
# What each legacy format is given to LibreOffice as: a WPS .wps is (nearly always) a Word binary
# and LibreOffice would take the extension for Microsoft Works; a WPS .et is read as a workbook.
INPUT_SUFFIX = {"doc": "doc", "wps": "doc", "et": "xls", "xls": "xls"}
_PROFILES: set[Path] = set()


class ConverterMissing(Exception):
    """LibreOffice is not installed."""


class ConversionFailed(Exception):
    """LibreOffice could not convert the file (damaged, not what its name says) or timed out."""


def soffice() -> str | None:
    return next((path for name in SOFFICE_NAMES if (path := shutil.which(name))), None)


def profile_dir() -> Path:
    """This process's LibreOffice profile (one per worker, kept for its later conversions and
    removed when the worker exits)."""
    path = Path(tempfile.gettempdir()) / f"jixiao-soffice-{os.getpid()}"
    if path not in _PROFILES:  # per process id: a forked worker registers its own
        _PROFILES.add(path)
        atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def convert(data: bytes, source: str, target: str, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """The bytes of ``data`` (a ``source`` file) converted by LibreOffice to ``target``."""
    program = soffice()
    if program is None:
        raise ConverterMissing(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="jixiao-convert-") as tmp:
        src = Path(tmp) / f"in.{INPUT_SUFFIX[source]}"
        src.write_bytes(data)
        command = [program, f"-env:UserInstallation={profile_dir().as_uri()}", "--headless", "--norestore",
                   "--convert-to", FILTERS[target], "--outdir", tmp, str(src)]
        run(command, timeout)
        out = src.with_suffix(f".{target}")
        if not out.exists():
            raise ConversionFailed(f"LibreOffice could not convert this .{source} file to .{target}")
        return out.read_bytes()


def run(command: list[str], timeout: float) -> None:
    """Run soffice in its own process group, all of which is killed when it overruns."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise ConversionFailed(f"LibreOffice took over {timeout:g} s to convert it") from exc


def read_doc(data: bytes) -> list[Block]:
    """A Word binary (.doc, and .wps as WPS saves it), via DOCX."""
    return read_docx(convert(data, "doc", "docx"))


def read_wps(data: bytes) -> list[Block]:
    return read_docx(convert(data, "wps", "docx"))


def read_et(data: bytes) -> list[Block]:
    """A WPS spreadsheet (.et), via XLSX."""
    return read_xlsx(convert(data, "et", "xlsx"))


def read_legacy_xls(data: bytes) -> list[Block]:
    """An .xls by xlrd; one xlrd cannot read (BIFF5, a mislabelled workbook) via XLSX."""
    try:
        return read_xls(data)
    except Exception:  # noqa: BLE001 - xlrd raises many kinds; LibreOffice reads more of them
        return read_xlsx(convert(data, "xls", "xlsx"))
