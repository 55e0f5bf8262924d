"""The taxonomy is data: labels in both languages, lookups, and user-added roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from talent.errors import ConfigError
from talent.io.series import load_series
from talent.taxonomy import load_taxonomy
from tests.conftest import ASSETS


def test_default_taxonomy_has_the_papers_tiers_and_audiences() -> None:
    tax = load_taxonomy()
    assert tax.ids("roles") == ["machine_learning", "ai_chips", "computer_vision", "decision_systems",
                                "robotics", "other"]
    assert [t.zh for t in tax.tiers] == ["素养教育", "应用基础教育", "专家型人才培养"]
    assert [a.zh for a in tax.audiences] == ["管理层", "技术层", "学生", "技术技能人员"]
    assert all(e.en and e.zh for name in ("roles", "levels", "kinds", "tiers", "audiences")
               for e in tax.section(name))


def test_labels_and_resolution() -> None:
    tax = load_taxonomy()
    assert tax.label("roles", "computer_vision", "zh") == "计算机视觉"
    assert tax.label("levels", "expert", "en") == "Expert"
    assert tax.resolve("roles", "  Machine Learning ") == "machine_learning"
    assert tax.resolve("kinds", "供给") == "supply"
    assert tax.resolve("roles", "quantum") is None
    # aliases a data file may use: matched like the labels, and no two entries share one
    assert [tax.resolve("roles", a) for a in ("ML", " cv", "芯片")] == ["machine_learning", "computer_vision",
                                                                      "ai_chips"]
    for name in ("roles", "levels", "kinds", "tiers", "audiences"):
        names = [str(n).casefold() for e in tax.section(name)
                 for n in (e.id, *e.extra.get("aliases", []))]  # type: ignore[misc]
        assert len(names) == len(set(names)), name
    assert tax.attrition("expert") == pytest.approx(0.03)


def test_user_adds_a_role_without_code(tmp_path: Path) -> None:
    text = (ASSETS / "taxonomy.toml").read_text(encoding="utf-8")
    text += '\n[[roles]]\nid = "nlp"\nen = "Natural language processing"\nzh = "自然语言处理"\n'
    tax_path = tmp_path / "taxonomy.toml"
    tax_path.write_text(text, encoding="utf-8")
    series = tmp_path / "s.csv"
    series.write_text("region,role,kind,year,value\nCN,nlp,demand,2024,10\n", encoding="utf-8")
    df = load_series(series, load_taxonomy(tax_path))
    assert df["role"].tolist() == ["nlp"]


def test_broken_taxonomy_is_named(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text('[[roles]]\nid = "x"\nen = "X"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[\[roles\]\] entry 1 lacks zh"):
        load_taxonomy(path)
