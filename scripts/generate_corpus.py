"""Generate N valid, synthetic case files for benchmarks (seeded: same N and seed, same files).

Narratives run 400-900 words, taxonomy ids follow skewed (realistic) distributions, every
case curates entities with aliases that its narrative uses, and about a fifth of the cases
are Indonesian (written in Indonesian). `archive validate` accepts every file.

So that word frequencies look like real writing (a long tail of rare words, not a dozen
template sentences), two of every three sentences are drawn from the narratives of a fixed
list of the archive's real cases, in the case's language; the third is a template sentence
that names the synthetic organisation, person and regulator.

Usage: .venv/bin/python scripts/generate_corpus.py OUT_DIR --cases 10000 [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from functools import lru_cache
from pathlib import Path

from archive.loader import parse_case
from archive.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
# Real cases whose sentences feed the synthetic narratives. A fixed list: cases added later
# do not change the benchmark corpus.
SENTENCE_SOURCES = (
    "airasia-qz8501-2014-crash-response ajinomoto-indonesia-2001-halal-recall "
    "ariel-noah-2010-video-comeback bp-2010-deepwater-horizon enron-2001-accounting-fraud "
    "garuda-indonesia-2019-laporan-keuangan jiwasraya-2018-insurance-fraud "
    "kebun-binatang-surabaya-2014-kematian-satwa kfc-uk-2018-chicken-shortage "
    "lux-accc-2012-unfair-sales nestle-maggi-2015-india-ban "
    "news-of-the-world-2011-phone-hacking optus-2022-data-breach oxfam-2018-haiti-scandal "
    "penn-state-2011-sandusky-scandal pepsi-2017-kendall-jenner-ad "
    "robert-downey-jr-addiction-comeback seaworld-2013-blackfish "
    "sharapova-2016-meldonium-ban snapchat-2013-username-phone-leak "
    "target-2013-card-data-breach tokopedia-2020-kebocoran-data tylenol-1982-cyanide-recall "
    "united-airlines-2017-passenger-removal volkswagen-2015-dieselgate"
).split()

SYLLABLES = "ka ra to mi su na lo ve ta ri mo da pe lu sa no ki be ga ho ju ne".split()
ORG_SUFFIX = [
    "Group",
    "Holdings",
    "Foods",
    "Air",
    "Bank",
    "Media",
    "Energy",
    "Telecom",
    "Motors",
    "Health",
]
FIRST = [
    "Anna",
    "Budi",
    "Carla",
    "Dewi",
    "Eko",
    "Farah",
    "Gita",
    "Hans",
    "Indra",
    "Joko",
    "Kate",
    "Lina",
]
LAST = [
    "Santoso",
    "Wijaya",
    "Miller",
    "Hartono",
    "Lee",
    "Putri",
    "Schmidt",
    "Nugroho",
    "Garcia",
    "Tan",
]
PLACES = {"en": ["Jakarta", "Surabaya", "London", "Sydney", "Chicago", "Berlin", "Singapore"],
          "id": ["Jakarta", "Surabaya", "Bandung", "Medan", "Makassar", "Denpasar", "Semarang"]}  # fmt: skip
COUNTRIES = ["US", "ID", "GB", "AU", "DE", "SG", "MY", "JP", "IN", "FR"]
COUNTRY_WEIGHTS = [30, 25, 10, 8, 6, 5, 5, 4, 4, 3]

EN = [
    "{org} said it had found the cause and was working with {regulator} to fix it.",
    "Customers in {place} complained on social media within hours of the first reports.",
    "{person}, the chief executive of {alias}, spoke to reporters the next morning.",
    "Analysts questioned whether {alias} had moved fast enough to reassure its customers.",
    "The company published a page of questions and answers and updated it every day.",
    "Critics said the first statement was too cautious and came too late.",
    "{regulator_alias} opened an inquiry and asked {alias} for documents.",
    "Sales fell in the following quarter before recovering slowly.",
    "The board announced an independent review of what had gone wrong.",
    "Newspapers in {place} covered the story on their front pages for a week.",
    "{person} apologised in a video and promised compensation to those affected.",
    "Employees said the crisis had changed how {alias} handled complaints.",
]
ID = [
    "{org} menyatakan telah menemukan penyebabnya dan bekerja sama dengan {regulator}.",
    "Pelanggan di {place} mengeluh di media sosial beberapa jam setelah laporan pertama.",
    "{person}, direktur utama {alias}, berbicara kepada wartawan keesokan paginya.",
    "Para analis mempertanyakan apakah {alias} bergerak cukup cepat untuk meyakinkan pelanggan.",
    "Perusahaan menerbitkan halaman tanya jawab dan memperbaruinya setiap hari.",
    "Para pengkritik menilai pernyataan pertama terlalu hati-hati dan terlambat.",
    "{regulator_alias} membuka pemeriksaan dan meminta dokumen dari {alias}.",
    "Penjualan turun pada kuartal berikutnya sebelum pulih perlahan.",
    "Dewan komisaris mengumumkan tinjauan independen atas kesalahan yang terjadi.",
    "Surat kabar di {place} memberitakan kasus ini di halaman depan selama sepekan.",
    "{person} meminta maaf lewat video dan menjanjikan ganti rugi bagi yang terdampak.",
    "Karyawan mengatakan krisis ini mengubah cara {alias} menangani keluhan.",
]
HEADINGS = {"en": ["Summary", "Crisis", "Response", "Outcome", "Lessons"],
            "id": ["Ringkasan", "Krisis", "Respons", "Hasil", "Pelajaran"]}  # fmt: skip
REGULATORS = [("Consumer Protection Agency", "CPA"), ("Otoritas Jasa Keuangan", "OJK"),
              ("Financial Conduct Authority", "FCA"), ("Federal Trade Commission", "FTC")]  # fmt: skip


@lru_cache(maxsize=1)
def sentence_bank() -> dict[str, tuple[str, ...]]:
    """Sentences of the real cases' narratives by language (Markdown markup removed)."""
    bank: dict[str, list[str]] = {"en": [], "id": []}
    for case_id in SENTENCE_SOURCES:
        path = ROOT / "cases" / f"{case_id}.md"
        if not path.exists():
            continue
        case, _ = parse_case(path.read_bytes(), path)
        if case is None:
            continue
        text = re.sub(r"^#+ .*$", " ", case.body, flags=re.M)
        text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
        text = re.sub(r"[*_`>|]", "", " ".join(text.split()))
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z\"(])", text):
            if 6 <= len(sentence.split()) <= 40 and sentence[-1] in ".!?":
                bank[case.language].append(sentence)
    return {lang: tuple(sentences) for lang, sentences in bank.items()}


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _weighted(rng: random.Random, ids: list[str], k: int) -> list[str]:
    # Earlier ids in the taxonomy are the common ones: weight 1/rank (a Zipf-like skew).
    weights = [1 / (i + 1) for i in range(len(ids))]
    chosen: list[str] = []
    while len(chosen) < k:
        pick = rng.choices(ids, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def make_case(i: int, rng: random.Random) -> tuple[str, str]:
    tax = load_taxonomy()
    lang = "id" if rng.random() < 0.2 else "en"
    org = f"{_name(rng)} {_name(rng, 1)} {rng.choice(ORG_SUFFIX)}"
    alias = "".join(w[0] for w in org.split()).upper() + _name(rng, 1)[:2].upper()
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    regulator, regulator_alias = rng.choice(REGULATORS)
    year = rng.randint(1980, 2025)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    crisis_date = f"{year}-{month:02d}-{day:02d}" if rng.random() < 0.7 else f"{year}-{month:02d}"
    crisis_types = _weighted(rng, tax.ids("crisis_types"), rng.randint(1, 2))
    tactics = _weighted(rng, tax.ids("tactics"), rng.randint(2, 6))
    outcome = rng.choices(tax.ids("outcomes"), [45, 30, 15, 10])[0]
    case_id = f"{org.lower().replace(' ', '-')}-{year}-{i:06d}"
    places = PLACES[lang]
    fill = {"org": org, "alias": alias, "person": person, "regulator": regulator,
            "regulator_alias": regulator_alias, "place": rng.choice(places)}  # fmt: skip
    templates = ID if lang == "id" else EN
    bank = sentence_bank()
    # Sections end on a whole sentence (at most 40 words): allow for the overshoot.
    target = rng.randint(400, 700)
    words, sections = 0, []
    per_section = target // 5
    for heading in HEADINGS[lang]:
        paragraph, count = [], 0
        while count < per_section:
            fill["place"] = rng.choice(places)
            if count and rng.random() < 2 / 3 and bank[lang]:
                sentence = rng.choice(bank[lang])
            else:
                sentence = rng.choice(templates).format(**fill)
            paragraph.append(sentence)
            count += len(sentence.split())
        words += count
        sections.append(f"## {heading}\n\n" + " ".join(paragraph))
    q = json.dumps
    front = [
        "---",
        f"id: {case_id}",
        f"title: {q(f'{org} and the {year} ' + tax.label('crisis_types', crisis_types[0]).lower())}",
        f"subject: {q(org)}",
        "subject_kind: organization",
        f"language: {lang}",
        f"sector: {rng.choice(tax.ids('sectors'))}",
        f"countries: [{rng.choices(COUNTRIES, COUNTRY_WEIGHTS)[0]}]",
        f"crisis_types: [{', '.join(crisis_types)}]",
        f"tactics: [{', '.join(tactics)}]",
        f"outcome: {outcome}",
        f"outcome_summary: {q('Synthetic case for benchmarks: the outcome is drawn at random.')}",
        f"crisis_date: {crisis_date}",
        "timeline:",
        f"  - {{date: {crisis_date}, event: {q('The crisis breaks')}}}",
        "entities:",
        f"  - {{name: {q(org)}, kind: organization, aliases: [{q(alias)}]}}",
        f"  - {{name: {q(person)}, kind: person}}",
        f"  - {{name: {q(regulator)}, kind: organization, aliases: [{q(regulator_alias)}]}}",
        "lessons:",
        f"  - {q('Synthetic lesson.')}",
        "sources:",
        f"  - {{title: {q('Synthetic source ' + str(i))}, publisher: {q('Benchmark generator')}}}",
        "status: draft",
        "---",
    ]
    return case_id, "\n".join(front) + "\n" + "\n\n".join(sections) + "\n"


def generate(out: Path, n: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        case_id, text = make_case(i, rng)
        path = out / f"{case_id}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = generate(args.out, args.cases, args.seed)
    print(f"wrote {len(paths)} cases to {args.out}")


if __name__ == "__main__":
    main()
