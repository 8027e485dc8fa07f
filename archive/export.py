"""Exports of search results: CSV and JSON of every hit (all pages), with labels."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from archive.index import SUMMARY_FIELDS
from archive.search import Hit
from archive.strings import t
from archive.taxonomy import Taxonomy, load_taxonomy

CSV_COLUMNS = list(SUMMARY_FIELDS)  # the case attributes every hit carries


def hits_to_rows(
    hits: Sequence[Hit], lang: str = "en", taxonomy: Taxonomy | None = None
) -> list[dict]:
    """One row per hit, taxonomy terms as their labels in ``lang``, lists joined by "; "."""
    tax = taxonomy or load_taxonomy()
    rows = []
    for h in hits:
        rows.append(
            {
                "id": h.id,
                "title": h.title,
                "subject": h.subject,
                "subject_kind": h.subject_kind,
                "year": h.year,
                "crisis_date": h.crisis_date,
                "outcome": tax.label("outcomes", h.outcome, lang),
                "crisis_types": "; ".join(
                    tax.label("crisis_types", t, lang) for t in h.crisis_types
                ),
                "tactics": "; ".join(tax.label("tactics", t, lang) for t in h.tactics),
                "sector": tax.label("sectors", h.sector, lang) if h.sector else "",
                "countries": "; ".join(h.countries),
                "language": h.language,
                "status": h.status,
            }
        )
    return rows


def csv_header(lang: str = "en") -> list[str]:
    """The CSV's column names: the field names in English (what scripts read), the columns'
    labels in Indonesian ('Judul', 'Jenis krisis')."""
    return [t(f"csv_{column}", lang) for column in CSV_COLUMNS]


def hits_to_csv(hits: Sequence[Hit], lang: str = "en") -> str:
    """The hits as CSV with a header row in ``lang``; a cell that would start a spreadsheet
    formula gets a leading apostrophe."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    csv.writer(buffer, lineterminator="\n").writerow(csv_header(lang))
    for row in hits_to_rows(hits, lang):
        # A cell starting with = + - @ would run as a formula in a spreadsheet.
        writer.writerow({k: _no_formula(v) for k, v in row.items()})
    return buffer.getvalue()


def hits_to_json(hits: Sequence[Hit]) -> str:
    """The hits as a JSON list of their fields (ids, not labels), without snippets, reasons or
    score."""
    data = [
        {k: v for k, v in h.to_dict().items() if k not in ("snippets", "reasons", "score")}
        for h in hits
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _no_formula(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
