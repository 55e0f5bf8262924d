"""Region codes: checked against the shipped list `talent/assets/regions.toml`.

Accepted: ISO 3166-1 alpha-2 country codes (`CN`, `US`), ISO 3166-2:CN
province-level codes (`CN-HA`), and codes joined with `+` for a combined area
(`US+CA`). Codes are case-insensitive and stored in upper case: `cn` is read
as `CN`, with a note (`TalentWarning`), as role, level and kind ids are
matched whatever their case. An ISO 3166-1 alpha-3 code, as the World Bank and
the OECD write countries (`CHN`), is read as its alpha-2 code with a note
(`Regions.from_alpha3`). An unknown code gets the closest known code, or the
code of a region written by name (`Henan` → `CN-HA`), or the code an old file
means: a province's pre-2017 ISO code or statistical code (`CN-11`, `110000` →
`CN-BJ`), the whole country as Chinese tables write it (`全国` → `CN`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from talent.io.toml_file import read_toml
from talent.paths import assets_dir

SUGGESTED = 200  # distinct unknown codes that get a closest code (messages list at most 100 problems)
RULE = ("use an ISO 3166-1 alpha-2 country code such as CN, an ISO 3166-2:CN province code such as CN-HA, "
        "or codes joined with + such as US+CA")


def regions_path() -> Path:
    """The shipped list of region codes."""
    return assets_dir() / "regions.toml"


@dataclass(frozen=True)
class Regions:
    """Known region codes with their names (English, and Chinese where shipped)."""

    names: dict[str, tuple[str, ...]]
    alpha3: dict[str, str] = field(default_factory=dict)  # 'CHN' -> 'CN'

    def from_alpha3(self, value: str) -> str | None:
        """The alpha-2 code(s) of ISO 3166-1 alpha-3 codes ('CHN' -> 'CN', 'usa+can' -> 'US+CA'); None when a
        part is not one."""
        parts = [self.alpha3.get(p.strip().upper()) for p in value.split("+")]
        if not all(parts) or len(set(parts)) != len(parts):
            return None
        return "+".join(p for p in parts if p)

    def canonical(self, value: str) -> str | None:
        """The stored form of a valid code (upper case, parts joined by '+' without spaces); None if unknown."""
        parts = [p.strip().upper() for p in value.split("+")]
        if all(p in self.names for p in parts) and len(set(parts)) == len(parts):  # 'US+US' counts one area twice
            return "+".join(parts)
        return None

    def suggestion(self, value: str) -> str | None:
        """The code the user most likely meant, for a value that is not a known code."""
        parts = [p.strip() for p in value.split("+")]
        if len(value) > 100 or not all(parts):
            return None
        guesses = [self.canonical(p) or self._guess(p) for p in parts]
        if any(g is None for g in guesses):
            return None
        return "+".join(dict.fromkeys(g for g in guesses if g is not None))  # each code once

    def _guess(self, part: str) -> str | None:
        if (code := self.alpha3.get(part.upper())) is not None:
            return code
        old = re.fullmatch(r"(?:CN-?)?(\d{2})(?:0000)?", part.strip(), re.IGNORECASE)
        if old and _NUMERIC.get(old.group(1)) and (part.upper().startswith("CN") or len(part.strip()) == 6):
            return _NUMERIC[old.group(1)]  # ISO 3166-2:CN before 2017 ('CN-11'), or the 6-digit GB/T 2260 code
        if _name_key(part) in _NATIONAL:
            return "CN"
        key = part.casefold()
        for code, names in self.names.items():
            if any(key == n.casefold() or key == _short(n).casefold() for n in names):
                return code
        match = difflib.get_close_matches(part.upper(), list(self.names), n=1, cutoff=0.75)
        return match[0] if match else None

    def hint(self, value: str, among: Sequence[str]) -> str:
        """"did you mean 'CN-HA (Henan Sheng)'? " for the code of `among` that `value` most likely
        meant ('河南', 'Henan', 'CN-HAA'), or "" when there is none."""
        guess = self.suggestion(value)
        return f"did you mean '{self.label(guess)}'? " if guess is not None and guess in among else ""

    def province(self, value: str) -> str | None:
        """The code of a value naming mainland provinces by name ('河南', '河南省', 'Henan', 'henan sheng', and
        names joined with '+'); None when a part is not exactly one province's name."""
        parts = [_name_key(p) for p in value.split("+")]
        index = self._provinces
        codes = [index.get(p) for p in parts]
        if not all(codes) or len(set(codes)) != len(codes):
            return None
        return "+".join(c for c in codes if c)

    @cached_property
    def _provinces(self) -> dict[str, str]:
        return _province_index(tuple(self.names.items()))

    def label(self, code: str) -> str:
        """'CN-HA (Henan Sheng)' for a known code, the code itself otherwise."""
        names = self.names.get(code)
        return f"{code} ({names[0]})" if names else code

    def name(self, code: str, lang: str = "en") -> str:
        """A region's short name for charts and sentences: 'Henan' / '河南'; the code itself if unknown."""
        names = self.names.get(code)
        if not names:
            return code
        return names[1] if lang == "zh" and len(names) > 1 else _short(names[0])


#: The province codes of ISO 3166-2:CN before its 2017 revision (CN-11 for Beijing), the first two digits of the
#: GB/T 2260 administrative codes Chinese statistics use (110000): the code an old file means.
_NUMERIC = {"11": "CN-BJ", "12": "CN-TJ", "13": "CN-HE", "14": "CN-SX", "15": "CN-NM", "21": "CN-LN", "22": "CN-JL",
            "23": "CN-HL", "31": "CN-SH", "32": "CN-JS", "33": "CN-ZJ", "34": "CN-AH", "35": "CN-FJ", "36": "CN-JX",
            "37": "CN-SD", "41": "CN-HA", "42": "CN-HB", "43": "CN-HN", "44": "CN-GD", "45": "CN-GX", "46": "CN-HI",
            "50": "CN-CQ", "51": "CN-SC", "52": "CN-GZ", "53": "CN-YN", "54": "CN-XZ", "61": "CN-SN", "62": "CN-GS",
            "63": "CN-QH", "64": "CN-NX", "65": "CN-XJ", "71": "CN-TW", "91": "CN-HK", "92": "CN-MO"}
#: How Chinese tables name the whole country ('全国', the national total), as compared by `_name_key`.
_NATIONAL = {"全国", "全国合计", "中华人民共和国", "中国大陆", "prc", "people'srepublicofchina", "mainlandchina"}


def _short(name: str) -> str:
    """'Henan Sheng' -> 'Henan' (the name without its administrative type)."""
    return re.sub(r"\s+(Sheng|Shi|Zizhiqu|Huizi Zizhiqu|Zhuangzu Zizhiqu|Uygur Zizhiqu|SAR)$", "", name)


# provinces written by a name are read as their codes; Hong Kong, Macao and Taiwan (and the project's CN-ZZ) are
# not mainland provinces and keep the suggestion
_NOT_MAINLAND = {"CN-HK", "CN-MO", "CN-TW", "CN-ZZ"}
_OTHER_NAMES = {"CN-NM": ("Inner Mongolia", "Neimenggu"), "CN-XZ": ("Tibet",)}
_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|sheng|shi|province|municipality|"
                     r"zhuangzuzizhiqu|huizizizhiqu|huizuzizhiqu|uygurzizhiqu|zizhiqu|(zhuang|hui|uygur|uyghur)?autonomousregion)$")


def _name_key(name: str) -> str:
    """A province name as compared: case, spaces and hyphens ignored, its administrative type dropped
    ('Henan Sheng', 'henan', '河南省' and 'Henan Province' are one key)."""
    key = re.sub(r"[\s\-_]+", "", name.casefold())
    return _SUFFIX.sub("", key) or key


@lru_cache(maxsize=4)
def _province_index(regions: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, str]:
    """Name key -> code of the mainland provinces (of the region list's (code, names) pairs); a key two
    provinces share is left out (ambiguous)."""
    found: dict[str, set[str]] = {}
    for code, names in regions:
        if code.startswith("CN-") and code not in _NOT_MAINLAND:
            for name in (*names, *_OTHER_NAMES.get(code, ())):
                found.setdefault(_name_key(name), set()).add(code)
    return {key: next(iter(codes)) for key, codes in found.items() if len(codes) == 1}


@lru_cache(maxsize=4)
def load_regions(path: Path | None = None) -> Regions:
    """The region codes of `talent/assets/regions.toml` (or `path`)."""
    raw = read_toml(path or regions_path(), "region code list")
    names: dict[str, tuple[str, ...]] = {}
    alpha3: dict[str, str] = {}
    for table in ("countries", "subdivisions"):
        for code, entry in raw.get(table, {}).items():
            labels = dict(entry) if isinstance(entry, dict) else {"en": str(entry)}
            if "a3" in labels:
                alpha3[str(labels.pop("a3")).upper()] = code.upper()
            names[code.upper()] = tuple(str(v) for v in labels.values())
    return Regions(names, alpha3)


def region_code(text: str, seen: dict[str, tuple[str | None, str]]) -> tuple[str | None, str]:
    """The stored code of a region cell (stripped text), or None and the fix. `seen` caches the answers of one
    file: each distinct text is looked up once, and only the first `SUGGESTED` unknown ones get a closest code
    (it costs about a millisecond; 20,000 rows of an unlisted code took 28 s)."""
    if text not in seen:
        regions = load_regions()
        code = regions.canonical(text) if text else None
        guess = regions.suggestion(text) if code is None and text and len(seen) < SUGGESTED else None
        seen[text] = code, (f"did you mean '{regions.label(guess)}'? " if guess else "") + RULE
    return seen[text]
