"""Export gap tables as CSV, XLSX, Markdown and JSON, in English or Chinese.

All four formats are written from the same localised frames, so every number
is identical across them. Each export carries the run manifest: a
`provenance` sheet (XLSX), a `meta` object (JSON), a section (Markdown), or a
`<name>.manifest.json` file beside the CSVs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from talent.errors import OutputError
from talent.gaps.tables import GapTables
from talent.io.files import check_output
from talent.io.write import csv_text, markdown_table, write_json, write_text
from talent.io.xlsx import write_workbook
from talent.present.labels import header, localise, manifest_key
from talent.taxonomy import Lang, Taxonomy, load_taxonomy

FORMATS = (".csv", ".xlsx", ".md", ".json")
TITLES = {"stock": ("Stock view: demand, supply and gap", "存量视角：需求、供给与缺口"),
          "flow": ("Flow view: openings and new entrants per year", "流量视角：年度岗位空缺与新进入者"),
          "models": ("Forecast model per series", "各序列预测模型"),
          "coverage": ("AI-literacy coverage by audience (not part of the gap)",
                       "分对象人工智能素养覆盖率（不计入人才缺口）"),
          "provenance": ("Provenance", "来源说明")}
PROVENANCE_COLUMNS = (["key", "value"], ["项目", "值"])
SHEETS = {"stock": ("stock", "存量缺口"), "flow": ("flow", "流量缺口"), "models": ("models", "模型"),
          "coverage": ("coverage", "素养覆盖"), "provenance": ("provenance", "来源说明")}
FRACTIONS = ("ratio", "p_shortage", "score", "target", "coverage", "coverage_with_plan")


def _integers(df: pd.DataFrame) -> pd.DataFrame:
    """Counts as nullable integers, so every format shows 1234, not 1234.0."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]) and col not in FRACTIONS:
            out[col] = out[col].round().astype("Int64")
    return out


def localised_tables(tables: GapTables, lang: Lang, taxonomy: Taxonomy | None = None) -> dict[str, pd.DataFrame]:
    """The stock, flow, model (and coverage, if any) tables with labels and headers in `lang`."""
    tax = taxonomy or load_taxonomy()
    out = {"stock": localise(_integers(tables.stock), lang, tax),
           "flow": localise(_integers(tables.flow), lang, tax),
           "models": localise(tables.models.assign(score=tables.models["score"].round(3)), lang, tax)}
    if tables.coverage is not None:
        out["coverage"] = localise(_integers(tables.coverage), lang, tax)
    return out


def _flatten(manifest: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, value in manifest.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += _flatten(value, name + ".")
        else:
            rows.append((name, json.dumps(value, ensure_ascii=False) if isinstance(value, list | tuple)
                         else str(value)))
    return rows


def _schema(df: pd.DataFrame, ids: list[str]) -> dict[str, Any]:
    """A Frictionless-style table schema: field names, types and titles in both languages."""
    def kind(s: pd.Series) -> str:
        return ("integer" if pd.api.types.is_integer_dtype(s) else "number" if pd.api.types.is_numeric_dtype(s)
                else "string")
    return {"fields": [{"name": name, "id": col, "type": kind(df[name]), "title_en": header(col, "en"),
                        "title_zh": header(col, "zh")} for name, col in zip(df.columns, ids, strict=True)]}


def export_paths(path: Path) -> list[Path]:
    """Every file `export_gap` may write for `path`: a CSV has its flow, models, coverage and manifest beside it."""
    if path.suffix.lower() != ".csv":
        return [path]
    stem = path.with_suffix("")
    return [path, *(Path(f"{stem}.{part}") for part in ("flow.csv", "models.csv", "coverage.csv", "manifest.json"))]


def export_gap(tables: GapTables, path: Path | str, lang: Lang = "en",
               taxonomy: Taxonomy | None = None) -> list[Path]:
    """Write the tables to `path` in the format its suffix names; return the files written.

    Never overwrites the files the tables were computed from (the manifest's inputs).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(f"{path}: unknown output format '{suffix}'; use one of {', '.join(FORMATS)}")
    i = 0 if lang == "en" else 1
    frames = localised_tables(tables, lang, taxonomy)
    manifest = tables.manifest
    inputs = list(manifest.get("inputs", {}))
    provenance = pd.DataFrame([(manifest_key(k, lang), v) for k, v in _flatten(manifest)],
                              columns=PROVENANCE_COLUMNS[i])
    if suffix == ".xlsx":
        sheets = {SHEETS[k][i]: v for k, v in frames.items()} | {SHEETS["provenance"][i]: provenance}
        return [write_workbook(path, sheets, inputs=inputs)]
    if suffix == ".csv":
        for target in export_paths(path):  # all checked before any is written: no half-written set of files
            check_output(target, inputs)
        stem = path.with_suffix("")
        return [write_text(path, csv_text(frames["stock"]), inputs=inputs),
                write_text(Path(f"{stem}.flow.csv"), csv_text(frames["flow"]), inputs=inputs),
                write_text(Path(f"{stem}.models.csv"), csv_text(frames["models"]), inputs=inputs),
                *([write_text(Path(f"{stem}.coverage.csv"), csv_text(frames["coverage"]), inputs=inputs)]
                  if "coverage" in frames else []),
                write_json(Path(f"{stem}.manifest.json"), manifest, inputs=inputs)]
    if suffix == ".md":
        parts = []
        for key, frame in [*frames.items(), ("provenance", provenance)]:
            parts += [f"## {TITLES[key][i]}\n", markdown_table(frame)]
        return [write_text(path, "\n".join(parts), inputs=inputs)]
    ids = {"stock": list(tables.stock.columns), "flow": list(tables.flow.columns),
           "models": list(tables.models.columns),
           "coverage": list(tables.coverage.columns) if tables.coverage is not None else []}
    doc = {"meta": manifest,
           "schema": {k: _schema(frames[k], ids[k]) for k in frames},
           **{k: json.loads(frames[k].to_json(orient="records", force_ascii=False)) for k in frames}}
    return [write_json(path, doc, inputs=inputs)]
