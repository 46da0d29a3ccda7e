"""Charts that label in Chinese when they can, and say so when they cannot.

matplotlib's default fonts have no CJK glyphs, so Chinese labels render as empty boxes.
:func:`cjk_font` finds an installed CJK font (``./dev.sh setup`` installs Debian's
``fonts-noto-cjk``) and makes it the default; charts then pick ``name_zh`` labels, or
``name_en`` when no such font exists, via :func:`label_column`.
"""

from __future__ import annotations

import functools
from typing import Literal

__all__ = ["cjk_font", "label_column"]

_PREFERRED = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC",
              "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei")


@functools.cache
def cjk_font() -> str | None:
    """Make an installed CJK font matplotlib's default sans-serif; return its name or ``None``.

    >>> name = cjk_font()  # e.g. 'Noto Sans CJK SC', or None where no CJK font is installed
    >>> name is None or isinstance(name, str)
    True
    """
    from matplotlib import font_manager, rcParams

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in _PREFERRED:
        if name in installed:
            rcParams["font.sans-serif"] = [name, *rcParams["font.sans-serif"]]
            rcParams["font.family"] = "sans-serif"
            rcParams["axes.unicode_minus"] = False
            return name
    return None


def label_column(prefer: Literal["zh", "en"] = "zh") -> Literal["name_zh", "name_en"]:
    """``"name_zh"`` when Chinese can be rendered (and is preferred), else ``"name_en"``.

    >>> label_column("en")
    'name_en'
    >>> label_column("zh") == ("name_zh" if cjk_font() else "name_en")
    True
    """
    if prefer == "zh" and cjk_font() is not None:
        return "name_zh"
    return "name_en"
