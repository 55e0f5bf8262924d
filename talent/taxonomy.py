"""The taxonomy as data: roles, levels, kinds, tiers, audiences and column names.

Every entry has an id (used in data files) and `en`/`zh` labels (used in
tables and reports). Users add a role by editing the TOML file; no code knows
the list of roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from talent.errors import ConfigError, shorten
from talent.io.toml_file import read_toml
from talent.paths import taxonomy_path

Lang = Literal["en", "zh"]
SECTIONS = ("roles", "levels", "kinds", "tiers", "audiences", "columns")


@dataclass(frozen=True)
class Entry:
    """One taxonomy entry: an id with English and Chinese labels and optional extras."""

    id: str
    en: str
    zh: str
    extra: dict[str, object] = field(default_factory=dict)

    def label(self, lang: Lang = "en", short: bool = False) -> str:
        """The label in `lang`; the short form where the entry has one."""
        if short and f"short_{lang}" in self.extra:
            return str(self.extra[f"short_{lang}"])
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Taxonomy:
    """All sections of the taxonomy, each an ordered tuple of entries."""

    roles: tuple[Entry, ...]
    levels: tuple[Entry, ...]
    kinds: tuple[Entry, ...]
    tiers: tuple[Entry, ...]
    audiences: tuple[Entry, ...]
    columns: tuple[Entry, ...]

    def section(self, name: str) -> tuple[Entry, ...]:
        """Entries of one section by its name (`roles`, `levels`, …)."""
        entries: tuple[Entry, ...] = getattr(self, name)
        return entries

    def ids(self, name: str) -> list[str]:
        """The ids of one section, in file order."""
        return [e.id for e in self.section(name)]

    def resolve(self, name: str, value: str) -> str | None:
        """Map an id, an en/zh label or one of the entry's `aliases` (case-insensitive) to its id; None if
        unknown."""
        key = value.strip().casefold()
        for e in self.section(name):
            if key in (e.id.casefold(), e.en.casefold(), e.zh.casefold()):
                return e.id
            if key in (str(e.extra.get("short_en", "")).casefold(), str(e.extra.get("short_zh", ""))):
                return e.id
            aliases = e.extra.get("aliases", [])
            if isinstance(aliases, list) and key in (str(a).casefold() for a in aliases):
                return e.id
        return None

    def label(self, name: str, id_: str, lang: Lang = "en", short: bool = True) -> str:
        """The label of an id in a section; the id itself when it is not in the taxonomy."""
        for e in self.section(name):
            if e.id == id_:
                return e.label(lang, short)
        return id_

    def attrition(self, level: str) -> float:
        """Yearly attrition rate of a level's stock (share leaving per year)."""
        for e in self.levels:
            if e.id == level:
                return float(e.extra.get("attrition", 0.0))  # type: ignore[arg-type]
        raise ConfigError(f"level '{level}' is not in the taxonomy; add it to the [[levels]] list")


def _entry(path: Path, name: str, i: int, item: object) -> Entry:
    """One [[name]] entry, checked: a table with text id, en and zh, aliases a list of texts, an attrition a
    share (the labels, aliases and short names are what data files may write for the entry)."""
    where = f"{path}: [[{name}]] entry {i}"
    if not isinstance(item, dict):
        raise ConfigError(f"{where} is {type(item).__name__} {shorten(repr(item), 60)}, not a table; write each "
                          f"entry as [[{name}]] followed by id = \"…\", en = \"…\", zh = \"…\"")
    missing = [k for k in ("id", "en", "zh") if not isinstance(item.get(k), str) or not str(item[k]).strip()]
    if missing:
        raise ConfigError(f"{where} lacks {', '.join(missing)}; every entry needs an id and en/zh labels")
    aliases = item.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ConfigError(f"{where} ('{item['id']}'): aliases must be a list of names, e.g. aliases = [\"ml\"] "
                          f"(value: {shorten(repr(aliases), 60)})")
    rate = item.get("attrition", 0.0)
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
        raise ConfigError(f"{where} ('{item['id']}'): attrition must be a share of the stock leaving a year, from "
                          f"0 to 1, e.g. 0.05 (value: {shorten(repr(rate), 60)})")
    return Entry(item["id"], item["en"], item["zh"], {k: v for k, v in item.items() if k not in ("id", "en", "zh")})


def _names(e: Entry) -> list[str]:
    """What a data file may write for an entry (compared without case)."""
    extra = [str(e.extra.get(k, "")) for k in ("short_en", "short_zh")]
    aliases = e.extra.get("aliases", [])
    return [n.strip().casefold() for n in (e.id, e.en, e.zh, *extra, *(aliases if isinstance(aliases, list) else []))
            if n.strip()]


def _entries(path: Path, raw: dict[str, object], name: str) -> tuple[Entry, ...]:
    items = raw.get(name)
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{path}: section [[{name}]] is missing or empty; add at least one entry")
    out: list[Entry] = []
    owner: dict[str, str] = {}  # a name (id, label, alias) -> the id of the entry it names
    for i, item in enumerate(items, start=1):
        entry = _entry(path, name, i, item)
        if entry.id.casefold() in (e.id.casefold() for e in out):
            raise ConfigError(f"{path}: [[{name}]] id '{entry.id}' appears twice; ids must be unique")
        for n in _names(entry):
            if owner.setdefault(n, entry.id) != entry.id:  # 'ml' for two roles: a data file's 'ml' would be a guess
                raise ConfigError(f"{path}: [[{name}]] '{n}' names both '{owner[n]}' and '{entry.id}' (as an id, "
                                  "label or alias); give each name to one entry")
        out.append(entry)
    return tuple(out)


@lru_cache(maxsize=8)
def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read and check the taxonomy TOML (default: the embedded one)."""
    path = path or taxonomy_path()
    raw = read_toml(path, "taxonomy file")
    return Taxonomy(**{name: _entries(path, raw, name) for name in SECTIONS})
