"""Names for downloaded files: an ASCII name every browser and spreadsheet program takes, and
the real name (accents, other scripts) for those that read RFC 6266's `filename*`."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_WORD = re.compile(r"[^\W_]+")  # letters and digits, in any script


def ascii_filename(name: str, fallback: str = "download") -> str:
    """ "Español 2B · En el café" -> "Espanol-2B-En-el-cafe": accents folded away, anything
    that is not a letter or digit a single hyphen."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[A-Za-z0-9]+", folded)) or fallback


def attachment(name: str, extension: str, fallback: str = "download") -> str:
    """A Content-Disposition value for `name`.`extension`: the ASCII name, and the name in
    UTF-8 as `filename*` when it has letters ASCII cannot spell."""
    plain = f"{ascii_filename(name, fallback)}.{extension}"
    real = f"{'-'.join(_WORD.findall(unicodedata.normalize('NFC', name))) or fallback}.{extension}"
    value = f'attachment; filename="{plain}"'
    if real != plain:
        value += f"; filename*=UTF-8''{quote(real, safe='')}"
    return value
