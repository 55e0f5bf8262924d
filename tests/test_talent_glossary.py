"""Chinese complete and consistent: every label has Chinese, the glossary's terms are used the same way
everywhere, and every key of a run manifest has a Chinese name."""

from __future__ import annotations

import json
import re

import pytest

from talent.present import labels, words
from talent.present.labels import glossary, manifest_key
from talent.taxonomy import load_taxonomy
from tests.conftest import DefaultRun

CJK = re.compile(r"[\u4e00-\u9fff]")


def _pairs() -> list[tuple[str, str]]:
    """Every (English, Chinese) label pair the app shows."""
    pairs = list(labels.HEADERS.values()) + list(words.WORDS.values()) + list(words.TITLES.values())
    pairs += [p for mapping in labels.VALUES.values() for p in mapping.values() if p[0]]
    tax = load_taxonomy()
    pairs += [(e.en, e.zh) for name in ("roles", "levels", "kinds", "tiers", "audiences") for e in tax.section(name)]
    return pairs


def test_every_label_has_chinese() -> None:
    missing = [en for en, zh in _pairs() if not CJK.search(zh)]
    assert missing == []


@pytest.mark.parametrize(("en", "zh"), sorted(glossary()["terms"].items()))
def test_glossary_terms_are_used_consistently(en: str, zh: str) -> None:
    """Where an English label uses a term, its Chinese label uses the glossary's Chinese for it (a longer
    glossary term that contains this one, such as 'Supply/demand' for 'demand', speaks for itself)."""
    term = re.compile(rf"(?<![\w-]){re.escape(en)}(?![\w-])", re.I)
    longer = [t for t in glossary()["terms"] if en.casefold() in t.casefold() and t != en]
    inconsistent = []
    for e, z in _pairs():
        for t in longer:
            e = re.sub(re.escape(t), "", e, flags=re.I)
        if term.search(e) and zh not in z:
            inconsistent.append((e, z))
    assert inconsistent == []


def test_every_manifest_key_has_a_chinese_name(default_run: DefaultRun) -> None:
    manifest = json.loads((default_run.out / "manifest.json").read_text(encoding="utf-8"))
    skip = {"inputs", "outputs", "versions", "models"}  # their keys: file names, package names, model names

    def keys(doc: dict[str, object], prefix: str = "") -> list[str]:
        out = []
        for k, v in doc.items():
            out.append(prefix + k)
            if isinstance(v, dict) and k not in skip:
                out += keys(v, f"{prefix}{k}.")
        return out

    untranslated = [k for k in keys(manifest) if not CJK.search(manifest_key(k, "zh").split(".")[-1])]
    assert untranslated == []
