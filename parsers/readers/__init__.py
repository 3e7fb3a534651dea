"""Readers: one per input format or text style; each turns a file (bytes or text) into blocks
(``parsers.blocks``) and never writes files."""

# Bounds a reader checks before laying a file out, from what the file really holds: a hostile or
# broken file (`colspan=1000000000`, a sheet spanning A1:XFD1048576, a zip bomb) fails fast with
# TooLarge instead of taking gigabytes. Real disclosure forms stay far below them.
MAX_GRID_CELLS = 200_000        # grid positions of one table or sheet
MAX_UNPACKED_BYTES = 256 << 20  # an Office file's parts, or one PDF stream, decompressed
MAX_PDF_PAGES = 3_000
MAX_SPAN = (65_534, 1_000)      # rowspan, colspan: the HTML standard's own clamps


class TooLarge(Exception):
    """The file holds more than the bounds above; the message says what and how much."""
