"""Interface strings in English and Bahasa Indonesia (taxonomy labels come from the taxonomy)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"en": "Comeback Case Archive", "id": "Arsip Kasus Kebangkitan"},
    "tagline": {
        "en": "Reputation crises and how companies and people recovered from them.",
        "id": "Krisis reputasi dan bagaimana perusahaan serta tokoh bangkit kembali.",
    },
    "search": {"en": "Search", "id": "Cari"},
    "case": {"en": "Case", "id": "Kasus"},
    "glossary": {"en": "Glossary", "id": "Glosarium"},
    "query_placeholder": {
        "en": "e.g. data breach, apology, Secret Service",
        "id": "mis. kebocoran data, permintaan maaf, recall",
    },
    "filters": {"en": "Filters", "id": "Filter"},
    "crisis_types": {"en": "Crisis type", "id": "Jenis krisis"},
    "tactics": {"en": "Recovery tactic", "id": "Taktik pemulihan"},
    "family": {"en": "Strategy family", "id": "Keluarga strategi"},
    "outcome": {"en": "Outcome", "id": "Hasil"},
    "sector": {"en": "Sector", "id": "Sektor"},
    "countries": {"en": "Country", "id": "Negara"},
    "subject_kind": {"en": "Subject", "id": "Subjek"},
    "language": {"en": "Case language", "id": "Bahasa kasus"},
    "people": {"en": "People", "id": "Tokoh"},
    "organizations": {"en": "Organisations", "id": "Organisasi"},
    "places": {"en": "Places", "id": "Tempat"},
    "year": {"en": "Year", "id": "Tahun"},
    "years": {"en": "Crisis years", "id": "Tahun krisis"},
    "status": {"en": "Status", "id": "Status"},
    "sort": {"en": "Sort by", "id": "Urutkan"},
    "sort_relevance": {"en": "Relevance", "id": "Relevansi"},
    "sort_date": {"en": "Newest first", "id": "Terbaru"},
    "sort_date-asc": {"en": "Oldest first", "id": "Terlama"},
    "sort_title": {"en": "Title", "id": "Judul"},
    "results": {"en": "{n} cases", "id": "{n} kasus"},
    "results_one": {"en": "1 case", "id": "1 kasus"},
    "page_of": {"en": "Page {page} of {pages}", "id": "Halaman {page} dari {pages}"},
    "previous": {"en": "Previous", "id": "Sebelumnya"},
    "next": {"en": "Next", "id": "Berikutnya"},
    "did_you_mean": {"en": "Did you mean", "id": "Maksud Anda"},
    "no_results": {"en": "No case matches this search.", "id": "Tidak ada kasus yang cocok."},
    "drop_filter": {
        "en": "Drop {facet} to see {n} cases",
        "id": "Hapus filter {facet} untuk melihat {n} kasus",
    },
    "drop_filter_one": {
        "en": "Drop {facet} to see 1 case",
        "id": "Hapus filter {facet} untuk melihat 1 kasus",
    },
    "try_fewer_words": {
        "en": "Try fewer or different words.",
        "id": "Coba kata yang lebih sedikit atau berbeda.",
    },
    "download_csv": {"en": "Download CSV", "id": "Unduh CSV"},
    "download_json": {"en": "Download JSON", "id": "Unduh JSON"},
    "exports": {"en": "Export all results", "id": "Ekspor semua hasil"},
    "back_to_search": {"en": "Back to the search", "id": "Kembali ke pencarian"},
    "timeline": {"en": "Timeline", "id": "Linimasa"},
    "days_first_statement": {
        "en": "Days to first statement",
        "id": "Hari hingga pernyataan pertama",
    },
    "days_first_apology": {"en": "Days to first apology", "id": "Hari hingga permintaan maaf"},
    "days_first_fix": {"en": "Days to first fix", "id": "Hari hingga perbaikan pertama"},
    "entities": {"en": "People, organisations and places", "id": "Tokoh, organisasi dan tempat"},
    "sources": {"en": "Sources", "id": "Sumber"},
    "similar": {"en": "Similar cases", "id": "Kasus serupa"},
    "lessons": {"en": "Lessons", "id": "Pelajaran"},
    "outcome_evidence": {"en": "Evidence for the outcome", "id": "Bukti hasil"},
    "no_case": {"en": "No case with id '{id}'.", "id": "Tidak ada kasus dengan id '{id}'."},
    "crisis_date": {"en": "Crisis date", "id": "Tanggal krisis"},
    "responsibility": {"en": "Responsibility", "id": "Tanggung jawab"},
    "definition": {"en": "Definition", "id": "Definisi"},
    "cases_with_term": {"en": "{n} cases", "id": "{n} kasus"},
    "cases_with_term_one": {"en": "1 case", "id": "1 kasus"},
    "glossary_intro": {
        "en": "Every term of the archive's vocabulary, with its definition in both languages.",
        "id": "Setiap istilah dalam kosakata arsip, dengan definisinya dalam dua bahasa.",
    },
    "channels": {"en": "Channels", "id": "Saluran"},
    "outcomes": {"en": "Outcomes", "id": "Hasil"},
    "sectors": {"en": "Sectors", "id": "Sektor"},
    "families": {"en": "Strategy families", "id": "Keluarga strategi"},
    "interface_language": {"en": "Language", "id": "Bahasa"},
    "skipped_files": {
        "en": "{n} case file(s) could not be read and are not searchable; "
        "`archive validate` lists the problems.",
        "id": "{n} berkas kasus tidak dapat dibaca dan tidak dapat dicari; "
        "`archive validate` menampilkan masalahnya.",
    },
    "building_index": {
        "en": "Building the search index from the case files…",
        "id": "Membangun indeks pencarian dari berkas kasus…",
    },
    "event": {"en": "Event", "id": "Peristiwa"},
    "channel": {"en": "Channel", "id": "Saluran"},
    "tactic": {"en": "Tactic", "id": "Taktik"},
    "date": {"en": "Date", "id": "Tanggal"},
    "none_recorded": {"en": "not recorded", "id": "tidak tercatat"},
    "editor": {"en": "Editor", "id": "Editor"},
    "editor_off": {
        "en": "Editing is off: no editor secret is configured. The archive is read-only.",
        "id": "Penyuntingan nonaktif: tidak ada kata sandi editor. Arsip hanya bisa dibaca.",
    },
    "editor_locked": {
        "en": "Too many wrong attempts in this session.",
        "id": "Terlalu banyak percobaan yang salah dalam sesi ini.",
    },
    "editor_wrong": {
        "en": "Wrong secret ({n} attempts left).",
        "id": "Kata sandi salah (sisa {n} percobaan).",
    },
    "editor_secret": {"en": "Editor secret", "id": "Kata sandi editor"},
    "editor_sign_in": {"en": "Sign in", "id": "Masuk"},
    "editor_mode": {"en": "Action", "id": "Tindakan"},
    "editor_new": {"en": "New case", "id": "Kasus baru"},
    "editor_edit": {"en": "Edit case", "id": "Sunting kasus"},
    "editor_pick": {"en": "Case to edit", "id": "Kasus yang disunting"},
    "editor_title": {"en": "Title", "id": "Judul"},
    "editor_subject": {"en": "who faced the crisis", "id": "siapa yang menghadapi krisis"},
    "editor_timeline": {"en": "Timeline", "id": "Linimasa"},
    "editor_sources": {"en": "Sources", "id": "Sumber"},
    "editor_entities": {
        "en": "Entities (aliases separated by ;)",
        "id": "Entitas (alias dipisah ;)",
    },
    "editor_statements": {
        "en": "Statements (moves separated by ;)",
        "id": "Pernyataan (taktik dipisah ;)",
    },
    "editor_one_per_line": {"en": "(one per line)", "id": "(satu per baris)"},
    "editor_body": {"en": "Narrative (Markdown)", "id": "Narasi (Markdown)"},
    "editor_check": {"en": "Validation", "id": "Validasi"},
    "editor_valid": {"en": "The case is valid.", "id": "Kasus ini valid."},
    "editor_preview": {"en": "Preview of the narrative", "id": "Pratinjau narasi"},
    "editor_duplicates": {
        "en": "This may duplicate an existing case:",
        "id": "Ini mungkin duplikat kasus yang sudah ada:",
    },
    "editor_not_duplicate": {
        "en": "I checked: this is a different case",
        "id": "Sudah saya periksa: ini kasus yang berbeda",
    },
    "editor_save": {"en": "Save", "id": "Simpan"},
    "editor_saved": {"en": "Saved {path}.", "id": "{path} tersimpan."},
    "editor_unreadable": {
        "en": "This file does not validate; fix it in a text editor (see archive validate).",
        "id": "Berkas ini tidak valid; perbaiki di editor teks (lihat archive validate).",
    },
}


def t(key: str, lang: str, **values: object) -> str:
    if values.get("n") == 1 and f"{key}_one" in STRINGS:
        key = f"{key}_one"
    text = STRINGS.get(key, {}).get(lang) or STRINGS.get(key, {}).get("en") or key
    return text.format(**values) if values else text
