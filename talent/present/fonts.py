"""The CJK font shipped with talent, for charts and for the HTML report.

`assets/fonts/NotoSansSC-GB2312.otf` is Noto Sans CJK SC Regular (SIL Open
Font License 1.1, see `assets/fonts/OFL.txt`) subset to the 7,545 characters
of GB2312 plus ASCII, so charts render Chinese on machines without CJK
fonts. The HTML report embeds a further subset holding only the characters
it uses.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

from talent.paths import font_path

FONT_PATH = font_path()
FAMILY = "Noto Sans CJK SC"


@lru_cache(maxsize=1)
def register_matplotlib_font() -> str:
    """Make the shipped font known to matplotlib; return its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(FONT_PATH))
    return font_manager.FontProperties(fname=str(FONT_PATH)).get_name()


def embedded_font_css(text: str) -> str:
    """An @font-face rule with the shipped font subset to the characters of `text`, base64-inlined."""
    from fontTools import subset

    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(FONT_PATH), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text) | set(" 0123456789"))))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"@font-face {{ font-family: 'talent-cjk'; src: url(data:font/otf;base64,{data}) "
            "format('opentype'); }")
