"""Every string shown in English and Bahasa Indonesia, in one catalogue: the app's interface,
the briefs, the comparison table and the labels of values that are not taxonomy ids (the
taxonomy's own labels live in taxonomy.yaml). A test checks each entry has both languages
with the same placeholders, and that no other module keeps its own pairs.

Example::

    >>> t("results", "id", n=3)
    '3 kasus'
"""

from __future__ import annotations

from dataclasses import dataclass

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
    "missing_words": {"en": "Missing: {words}", "id": "Tidak memuat: {words}"},
    "near_results": {
        "en": "{n} of them lack one of the words; they come after the cases that hold them all",
        "id": "{n} di antaranya tidak memuat salah satu kata; kasus itu tampil setelah kasus yang memuat semuanya",
    },
    # The precedent finder (archive/finder.py, archive/ui/finder_page.py).
    "finder_title": {"en": "Find precedents", "id": "Cari preseden"},
    "finder_caption": {
        "en": "Describe your client's situation in your own words and add what you know. Every "
        "case is ranked by how close it is: the fields count for more or less, they never "
        "filter.",
        "id": "Jelaskan situasi klien Anda dengan kata-kata sendiri dan tambahkan yang Anda "
        "ketahui. Setiap kasus diurutkan menurut kedekatannya: kolom-kolom menambah bobot, "
        "bukan menyaring.",
    },
    "finder_situation": {"en": "The situation", "id": "Situasinya"},
    "finder_placeholder": {
        "en": "e.g. an Indonesian e-commerce company, customer data leaked, the ministry is "
        "asking questions, the founder is under pressure",
        "id": "mis. perusahaan e-commerce Indonesia, data pelanggan bocor, kementerian meminta "
        "penjelasan, pendirinya tertekan",
    },
    "finder_field_crisis_type": {"en": "Crisis type", "id": "Jenis krisis"},
    "finder_field_sector": {"en": "Sector", "id": "Sektor"},
    "finder_field_country": {"en": "Country", "id": "Negara"},
    "finder_field_subject_kind": {"en": "Subject", "id": "Subjek"},
    "finder_field_responsibility": {"en": "Responsibility", "id": "Tanggung jawab"},
    "finder_any": {"en": "Any", "id": "Apa saja"},
    "finder_submit": {"en": "Find precedents", "id": "Cari preseden"},
    "finder_start": {
        "en": "Describe the situation or choose one of its fields to see the closest cases.",
        "id": "Jelaskan situasinya atau pilih salah satu kolomnya untuk melihat kasus terdekat.",
    },
    "finder_nothing": {
        "en": "No case is close to this situation. Try other words or fewer fields.",
        "id": "Tidak ada kasus yang dekat dengan situasi ini. Coba kata lain atau lebih sedikit kolom.",
    },
    "finder_results": {"en": "The {n} closest cases", "id": "{n} kasus terdekat"},
    "finder_score": {"en": "closeness {score}", "id": "kedekatan {score}"},
    "finder_what_worked": {
        "en": "What the {n} closest cases did",
        "id": "Apa yang dilakukan {n} kasus terdekat",
    },
    "finder_what_worked_caption": {
        "en": "Tactics of the cases that recovered (fully or in part) beside those that did not. "
        "Figures from fewer than {thin} cases are thin: read them as examples, not evidence.",
        "id": "Taktik kasus yang pulih (sepenuhnya atau sebagian) di samping yang tidak pulih. "
        "Angka dari kurang dari {thin} kasus itu tipis: bacalah sebagai contoh, bukan bukti.",
    },
    "finder_tactic": {"en": "Tactic", "id": "Taktik"},
    "finder_recovered": {"en": "Recovered", "id": "Pulih"},
    "finder_not_recovered": {"en": "Did not recover", "id": "Tidak pulih"},
    "finder_ongoing": {
        "en": "Still ongoing, in neither column: {cases}",
        "id": "Masih berlangsung, tidak di kolom mana pun: {cases}",
    },
    "finder_times": {"en": "Days to respond", "id": "Hari hingga merespons"},
    "finder_first_statement": {"en": "First statement", "id": "Pernyataan pertama"},
    "finder_first_apology": {"en": "First apology", "id": "Permintaan maaf pertama"},
    "finder_median": {
        "en": "median {days} days over {n} case(s)",
        "id": "median {days} hari dari {n} kasus",
    },
    "thin": {"en": "thin", "id": "tipis"},
    "finder_how": {"en": "How the closeness is scored", "id": "Cara kedekatan dihitung"},
    "finder_how_words": {
        "en": "The situation's words: up to {w}. Each word is matched on its own (no word is "
        "required) in the cases' text, names, taxonomy terms and their translations, rare "
        "words counting more (BM25); the closest case by words gets the full {w}.",
        "id": "Kata-kata situasi: hingga {w}. Setiap kata dicocokkan sendiri-sendiri (tidak ada "
        "kata yang wajib) pada teks kasus, nama, istilah taksonomi dan terjemahannya; kata "
        "yang jarang lebih berbobot (BM25); kasus terdekat menurut kata mendapat {w} penuh.",
    },
    "finder_how_field": {"en": "{field}, when given: {w}.", "id": "{field}, bila diisi: {w}."},
    "finder_how_near_crisis_type": {
        "en": "A related type earns up to {g} of it, by how often the two go together in the "
        "archive.",
        "id": "Jenis yang berkaitan mendapat hingga {g} bagiannya, menurut seberapa sering "
        "keduanya muncul bersama di arsip.",
    },
    "finder_how_near_country": {
        "en": "Another country of the same continent earns {g} of it.",
        "id": "Negara lain di benua yang sama mendapat {g} bagiannya.",
    },
    "finder_how_near_responsibility": {
        "en": "The next cluster (victim, accidental, preventable) earns {g} of it.",
        "id": "Klaster sebelahnya (korban, tidak disengaja, dapat dicegah) mendapat {g} bagiannya.",
    },
    "finder_how_caption": {
        "en": "The weights were checked on a set of situations with the cases a PR professional "
        "would cite (BENCHMARKS.md).",
        "id": "Bobot ini diuji pada sekumpulan situasi beserta kasus yang akan dirujuk seorang "
        "praktisi PR (BENCHMARKS.md).",
    },
    "finder_matched": {"en": "matched: {words}", "id": "cocok: {words}"},
    "finder_same_type": {"en": "same crisis type ({label})", "id": "jenis krisis sama ({label})"},
    "finder_also_type": {
        "en": "a related crisis type ({label})",
        "id": "jenis krisis yang berkaitan ({label})",
    },
    "finder_same_sector": {"en": "same sector ({label})", "id": "sektor sama ({label})"},
    "finder_kind_organization": {"en": "an organisation too", "id": "sama-sama organisasi"},
    "finder_kind_person": {"en": "a person too", "id": "sama-sama perorangan"},
    "finder_same_cluster": {
        "en": "same responsibility cluster: {label}",
        "id": "klaster tanggung jawab sama: {label}",
    },
    "finder_near_cluster": {
        "en": "the next responsibility cluster: {label}",
        "id": "klaster tanggung jawab bersebelahan: {label}",
    },
    # Search notices (archive/search/query_text.py, archive/engine/query.py): what a query
    # lost to the limits, or why its plain words were searched instead.
    "notice_too_long_chars": {
        "en": "The query was too long; searched for its first {n} characters only.",
        "id": "Kueri terlalu panjang; yang dicari hanya {n} karakter pertamanya.",
    },
    "notice_too_long_words": {
        "en": "The query was too long; searched for its first {n} words only.",
        "id": "Kueri terlalu panjang; yang dicari hanya {n} kata pertamanya.",
    },
    "notice_too_long_both": {
        "en": "The query was too long; searched for its first {chars} characters and {words} "
        "words only.",
        "id": "Kueri terlalu panjang; yang dicari hanya {chars} karakter dan {words} kata "
        "pertamanya.",
    },
    "notice_syntax": {
        "en": "The query syntax could not be read",
        "id": "Sintaks kueri tidak dapat dibaca",
    },
    "notice_fallback": {
        "en": "{why}; searched for the words {words} instead.",
        "id": "{why}; yang dicari kata-katanya saja: {words}.",
    },
    "notice_no_words": {"en": "(none)", "id": "(tidak ada)"},
    "broad_patterns": {
        "en": "The query has more than {count} wildcards or ranges",
        "id": "Kueri memuat lebih dari {count} wildcard atau rentang",
    },
    "broad_budget": {
        "en": "The query's wildcards and ranges stand for more than {count} words of the archive",
        "id": "Wildcard dan rentang kueri mewakili lebih dari {count} kata arsip",
    },
    "broad_wildcard": {
        "en": "'{shown}' is too complex a wildcard (at most {chars} characters and {wild} of * and ?)",
        "id": "'{shown}' wildcard yang terlalu rumit (paling banyak {chars} karakter dan {wild} tanda * dan ?)",
    },
    "broad_pattern": {
        "en": "'{shown}' stands for more than {count} words of the archive",
        "id": "'{shown}' mewakili lebih dari {count} kata arsip",
    },
    "showing_results_for": {
        "en": "Showing results for {corrected}; search instead for {typed}",
        "id": "Menampilkan hasil untuk {corrected}; cari {typed} sebagai gantinya",
    },
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
    "select_case": {
        "en": "Select for compare or brief",
        "id": "Pilih untuk dibandingkan atau diringkas",
    },
    "selected_cases": {"en": "{n} cases selected", "id": "{n} kasus dipilih"},
    "selected_cases_one": {"en": "1 case selected", "id": "1 kasus dipilih"},
    "compare": {"en": "Compare", "id": "Bandingkan"},
    "compare_how_many": {
        "en": "Select 2 to 4 cases to compare them.",
        "id": "Pilih 2 sampai 4 kasus untuk membandingkannya.",
    },
    "clear_selection": {"en": "Clear selection", "id": "Hapus pilihan"},
    "brief_md": {"en": "Brief (Markdown)", "id": "Ringkasan (Markdown)"},
    "brief_pptx": {"en": "Brief (PowerPoint)", "id": "Ringkasan (PowerPoint)"},
    "brief_docx": {"en": "Brief (Word)", "id": "Ringkasan (Word)"},
    "compare_title": {"en": "Compare cases", "id": "Bandingkan kasus"},
    "compare_timeline": {
        "en": "Timelines aligned on the crisis (day 0)",
        "id": "Lini masa disejajarkan pada krisis (hari 0)",
    },
    "day_from_crisis": {"en": "Days from the crisis", "id": "Hari sejak krisis"},
    "unknown_cases": {"en": "Not in the archive: {ids}", "id": "Tidak ada di arsip: {ids}"},
    "cite": {"en": "Cite", "id": "Kutip"},
    "cite_case": {"en": "Cite this case", "id": "Kutip kasus ini"},
    "cite_sources": {"en": "Sources (APA)", "id": "Sumber (APA)"},
    "bibtex_all": {"en": "BibTeX: the case and its sources", "id": "BibTeX: kasus dan sumbernya"},
    "insights": {"en": "Insights", "id": "Wawasan"},
    "insights_title": {"en": "What the cases say together", "id": "Apa kata kasus-kasus ini"},
    "insights_caption": {
        "en": "{n} cases. Every number shows how many cases stand behind it; click a cell or "
        "bar to open those cases in the search. Shares from fewer than {small} decided cases "
        "are marked *.",
        "id": "{n} kasus. Setiap angka menunjukkan berapa kasus di baliknya; klik sel atau "
        "batang untuk membuka kasus-kasus itu di pencarian. Persentase dari kurang dari "
        "{small} kasus yang sudah selesai diberi tanda *.",
    },
    "tactic_by_outcome": {"en": "Tactics by outcome", "id": "Taktik menurut hasil"},
    "family_by_outcome": {
        "en": "Strategy families by outcome",
        "id": "Keluarga strategi menurut hasil",
    },
    "crisis_types_over_time": {
        "en": "Crisis types over time",
        "id": "Jenis krisis dari waktu ke waktu",
    },
    "response_times_by_outcome": {
        "en": "Time to the first statement and apology, by outcome",
        "id": "Waktu hingga pernyataan dan permintaan maaf pertama, menurut hasil",
    },
    "period": {"en": "Period", "id": "Periode"},
    "recovered_pct": {"en": "{pct} recovered", "id": "{pct} pulih"},
    "none_ended": {"en": "none ended yet", "id": "belum ada yang selesai"},
    "cases": {"en": "Cases", "id": "Kasus"},
    "decided": {"en": "Ended (not ongoing)", "id": "Selesai (tidak berlangsung)"},
    "share_recovered": {"en": "Share recovered", "id": "Porsi pulih"},
    "row": {"en": "Tactic or family", "id": "Taktik atau keluarga"},
    "open_search": {"en": "Search", "id": "Pencarian"},
    "open": {"en": "open", "id": "buka"},
    "as_table": {"en": "As a table", "id": "Sebagai tabel"},
    "thin_share": {
        "en": "* fewer than {small} ended cases: read with care.",
        "id": "* kurang dari {small} kasus selesai: baca dengan hati-hati.",
    },
    "measure": {"en": "Measure", "id": "Ukuran"},
    "cases_with_event": {"en": "Cases with it", "id": "Kasus yang memilikinya"},
    "cases_without_event": {"en": "None recorded", "id": "Tidak tercatat"},
    "median_days": {"en": "Median days", "id": "Median hari"},
    "all_days": {"en": "Days, case by case", "id": "Hari, per kasus"},
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
    "editor_wrong_named": {
        "en": "Wrong name or secret ({n} attempts left).",
        "id": "Nama atau kata sandi salah (sisa {n} percobaan).",
    },
    "editor_name": {"en": "Your name", "id": "Nama Anda"},
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
    "draft_start": {"en": "Start from sources", "id": "Mulai dari sumber"},
    "draft_paste": {
        "en": "Web addresses (one per line) or the text of an article",
        "id": "Alamat web (satu per baris) atau teks artikel",
    },
    "draft_paste_help": {
        "en": "https://... one address per line, or paste an article's text (its headline on the first line)",
        "id": "https://... satu alamat per baris, atau tempel teks artikel (judul di baris pertama)",
    },
    "draft_upload": {
        "en": "Or upload saved pages and text files (.html, .txt, .md)",
        "id": "Atau unggah halaman tersimpan dan berkas teks (.html, .txt, .md)",
    },
    "draft_go": {"en": "Draft the case", "id": "Buat draf kasus"},
    "draft_reading": {"en": "Reading the sources...", "id": "Membaca sumber..."},
    "draft_fetching": {"en": "Fetching {url}", "id": "Mengambil {url}"},
    "draft_pasted": {"en": "pasted text", "id": "teks yang ditempel"},
    "draft_suggesting": {
        "en": "Finding names, dates, quotes and suggestions...",
        "id": "Mencari nama, tanggal, kutipan dan saran...",
    },
    "draft_none": {
        "en": "No source could be used: nothing was drafted.",
        "id": "Tidak ada sumber yang bisa dipakai: draf tidak dibuat.",
    },
    "draft_ready": {
        "en": "Drafted from {n} source(s): check the suggestions and the form below.",
        "id": "Draf dibuat dari {n} sumber: periksa saran dan formulir di bawah.",
    },
    "draft_suggestions": {"en": "Suggestions from the sources", "id": "Saran dari sumber"},
    "draft_suggestions_help": {
        "en": "Each suggestion shows its score and the sentence it came from. Ticked ones are in "
        "the form; tick or untick to change it. Nothing is saved until you press Save.",
        "id": "Setiap saran menunjukkan skornya dan kalimat asalnya. Yang dicentang sudah masuk "
        "formulir; centang atau hapus centang untuk mengubahnya. Tidak ada yang tersimpan "
        "sebelum Anda menekan Simpan.",
    },
    "draft_duplicate": {
        "en": "Possible duplicate: `{id}` {title} ({reason})",
        "id": "Mungkin duplikat: `{id}` {title} ({reason})",
    },
    "draft_timeline": {"en": "Dated sentences ({n})", "id": "Kalimat bertanggal ({n})"},
    "draft_timeline_help": {
        "en": "Ticked sentences become timeline rows marked TODO: rewrite each in your own "
        "words in the table (ticking again rebuilds the table).",
        "id": "Kalimat yang dicentang menjadi baris linimasa bertanda TODO: tulis ulang dengan "
        "kata-kata sendiri di tabel (mencentang lagi menyusun ulang tabel).",
    },
    "draft_entities": {"en": "Names ({n})", "id": "Nama ({n})"},
    "draft_known": {"en": "known to the archive", "id": "sudah dikenal arsip"},
    "draft_new_name": {"en": "new: check it", "id": "baru: periksa"},
    "draft_quotes": {"en": "Quotes ({n})", "id": "Kutipan ({n})"},
    "draft_discard": {"en": "Discard the draft", "id": "Buang draf"},
    "history": {"en": "History ({n} versions)", "id": "Riwayat ({n} versi)"},
    "history_editor": {"en": "Editor", "id": "Editor"},
    "history_summary": {"en": "Summary", "id": "Ringkasan"},
    "history_version": {"en": "Version", "id": "Versi"},
    "history_compare": {"en": "Compare two versions", "id": "Bandingkan dua versi"},
    "history_from": {"en": "From", "id": "Dari"},
    "history_to": {"en": "To", "id": "Ke"},
    "history_same": {"en": "No difference.", "id": "Tidak ada perbedaan."},
    "history_narrative": {"en": "Narrative", "id": "Narasi"},
    "history_restore": {"en": "Restore an earlier version", "id": "Pulihkan versi sebelumnya"},
    "history_restore_which": {"en": "Version", "id": "Versi"},
    "history_restore_why": {
        "en": "Why (one line, for the history)",
        "id": "Alasan (satu baris, untuk riwayat)",
    },
    "history_restore_button": {"en": "Restore this version", "id": "Pulihkan versi ini"},
    "history_restored": {
        "en": "Restored version {rev} as a new version.",
        "id": "Versi {rev} dipulihkan sebagai versi baru.",
    },
    "editor_summary": {
        "en": "Summary of this change (one line, for the history)",
        "id": "Ringkasan perubahan ini (satu baris, untuk riwayat)",
    },
    "editor_versioned": {
        "en": "Versioned as {rev} by {editor}.",
        "id": "Tersimpan sebagai versi {rev} oleh {editor}.",
    },
    "editor_not_versioned": {
        "en": "Saved, but not versioned: {reason}.",
        "id": "Tersimpan, tetapi tanpa versi: {reason}.",
    },
    "editor_no_git": {
        "en": "The cases folder is not in a git repository: saves are not versioned (no history "
        "or restore); each save is recorded in audit.log.",
        "id": "Folder kasus tidak berada di repositori git: simpanan tidak diberi versi (tanpa "
        "riwayat atau pemulihan); setiap simpanan dicatat di audit.log.",
    },
    "editor_save": {"en": "Save", "id": "Simpan"},
    "editor_saved": {"en": "Saved {path}.", "id": "{path} tersimpan."},
    "editor_unreadable": {
        "en": "This file does not validate; fix it in a text editor (see archive validate).",
        "id": "Berkas ini tidak valid; perbaiki di editor teks (lihat archive validate).",
    },
    # Briefs (archive/brief.py): the deck, the document and the Markdown.
    "brief_title": {"en": "Precedent brief", "id": "Ringkasan preseden"},
    "brief_subtitle": {
        "en": "{n} cases from the Comeback Case Archive, {date}",
        "id": "{n} kasus dari Arsip Kasus Kebangkitan, {date}",
    },
    "brief_happened": {"en": "What happened", "id": "Apa yang terjadi"},
    "brief_did": {"en": "What they did and when", "id": "Apa yang dilakukan dan kapan"},
    "brief_ended": {"en": "How it ended", "id": "Bagaimana akhirnya"},
    "brief_lessons": {"en": "Lessons", "id": "Pelajaran"},
    "brief_comparison": {"en": "Comparison", "id": "Perbandingan"},
    "brief_citations": {"en": "Citations", "id": "Kutipan"},
    "brief_case": {"en": "Case", "id": "Kasus"},
    "brief_crisis": {"en": "Crisis type", "id": "Jenis krisis"},
    "brief_tactics": {"en": "Tactics (day)", "id": "Taktik (hari)"},
    "brief_statement": {"en": "First statement (days)", "id": "Pernyataan pertama (hari)"},
    "brief_apology": {"en": "First apology (days)", "id": "Maaf pertama (hari)"},
    "brief_outcome": {"en": "Outcome", "id": "Hasil"},
    "brief_day": {"en": "Day", "id": "Hari"},
    "brief_none": {"en": "None recorded.", "id": "Tidak tercatat."},
    "brief_more": {"en": "... and {n} more in the document", "id": "... dan {n} lagi di dokumen"},
    "brief_continued": {"en": "{what} (continued)", "id": "{what} (lanjutan)"},
    # The comparison table's rows (archive/precedents.py).
    "compare_case": {"en": "Case", "id": "Kasus"},
    "compare_crisis_types": {"en": "Crisis type", "id": "Jenis krisis"},
    "compare_responsibility": {"en": "Responsibility", "id": "Tanggung jawab"},
    "compare_tactics": {"en": "Tactics (day from the crisis)", "id": "Taktik (hari sejak krisis)"},
    "compare_channels": {"en": "Channels", "id": "Saluran"},
    "compare_first_statement": {
        "en": "Days to first statement",
        "id": "Hari hingga pernyataan pertama",
    },
    "compare_first_apology": {
        "en": "Days to first apology",
        "id": "Hari hingga permintaan maaf pertama",
    },
    "compare_outcome": {"en": "Outcome", "id": "Hasil"},
    "compare_lessons": {"en": "Lessons", "id": "Pelajaran"},
    "compare_day": {"en": "day", "id": "hari"},
    # SCCT's crisis clusters: how much the public holds the subject responsible.
    "responsibility_victim": {
        "en": "Victim (little responsibility)",
        "id": "Korban (tanggung jawab kecil)",
    },
    "responsibility_accidental": {
        "en": "Accidental (some responsibility)",
        "id": "Kecelakaan (sebagian tanggung jawab)",
    },
    "responsibility_preventable": {
        "en": "Preventable (strong responsibility)",
        "id": "Dapat dicegah (tanggung jawab besar)",
    },
    # Values of facets that are not taxonomy ids.
    "subject_kind_organization": {"en": "Organisation", "id": "Organisasi"},
    "subject_kind_person": {"en": "Person", "id": "Tokoh"},
    "case_language_en": {"en": "English", "id": "Inggris"},
    "case_language_id": {"en": "Indonesian", "id": "Indonesia"},
    # The interface language switch names each language in itself.
    "interface_language_en": {"en": "English", "id": "English"},
    "interface_language_id": {"en": "Bahasa Indonesia", "id": "Bahasa Indonesia"},
    # Issue 19: the interface complete in Indonesian.
    # The pages as the navigation and the browser tab name them.
    "nav_search": {"en": "Search", "id": "Pencarian"},
    "nav_finder": {"en": "Find precedents", "id": "Cari preseden"},
    "nav_case": {"en": "Case", "id": "Kasus"},
    "nav_compare": {"en": "Compare", "id": "Perbandingan"},
    "nav_insights": {"en": "Insights", "id": "Wawasan"},
    "nav_glossary": {"en": "Glossary", "id": "Glosarium"},
    "nav_editor": {"en": "Editor", "id": "Editor"},
    # Streamlit's own placeholders, given in the interface language.
    "choose_options": {"en": "Choose options", "id": "Pilih satu atau lebih"},
    "choose_option": {"en": "Choose an option", "id": "Pilih salah satu"},
    # Values shown on the case and editor pages.
    "status_draft": {"en": "Draft", "id": "Draf"},
    "status_reviewed": {"en": "Reviewed", "id": "Sudah ditinjau"},
    "entity_kind_person": {"en": "person", "id": "tokoh"},
    "entity_kind_organization": {"en": "organisation", "id": "organisasi"},
    "entity_kind_place": {"en": "place", "id": "tempat"},
    "history_action_created": {"en": "created", "id": "dibuat"},
    "history_action_edited": {"en": "edited", "id": "disunting"},
    "history_action_restored": {"en": "restored", "id": "dipulihkan"},
    "editor_date_format": {"en": "YYYY[-MM[-DD]]", "id": "TTTT[-BB[-HH]]"},
    # The editor's tables: one header per field of a timeline event, source, name, statement.
    "column_date": {"en": "Date", "id": "Tanggal"},
    "column_event": {"en": "Event", "id": "Peristiwa"},
    "column_tactic": {"en": "Tactic", "id": "Taktik"},
    "column_channel": {"en": "Channel", "id": "Saluran"},
    "column_title": {"en": "Title", "id": "Judul"},
    "column_publisher": {"en": "Publisher", "id": "Penerbit"},
    "column_language": {"en": "Language", "id": "Bahasa"},
    "column_url": {"en": "Web address", "id": "Alamat web"},
    "column_author": {"en": "Author", "id": "Penulis"},
    "column_quote": {"en": "Quote", "id": "Kutipan"},
    "column_accessed": {"en": "Accessed", "id": "Diakses"},
    "column_name": {"en": "Name", "id": "Nama"},
    "column_kind": {"en": "Kind", "id": "Jenis"},
    "column_aliases": {"en": "Aliases", "id": "Alias"},
    "column_speaker": {"en": "Speaker", "id": "Pembicara"},
    "column_text": {"en": "Text", "id": "Teks"},
    "column_moves": {"en": "Moves", "id": "Langkah"},
    # Chart fields without a title of their own elsewhere.
    "chart_link": {"en": "Link", "id": "Tautan"},
    "chart_row_cases": {"en": "Cases in the row", "id": "Kasus di baris ini"},
    # The search results' CSV header: the field names in English (as scripts read them),
    # labels in Indonesian.
    "csv_id": {"en": "id", "id": "id"},
    "csv_title": {"en": "title", "id": "Judul"},
    "csv_subject": {"en": "subject", "id": "Subjek"},
    "csv_subject_kind": {"en": "subject_kind", "id": "Jenis subjek"},
    "csv_year": {"en": "year", "id": "Tahun"},
    "csv_crisis_date": {"en": "crisis_date", "id": "Tanggal krisis"},
    "csv_outcome": {"en": "outcome", "id": "Hasil"},
    "csv_crisis_types": {"en": "crisis_types", "id": "Jenis krisis"},
    "csv_tactics": {"en": "tactics", "id": "Taktik pemulihan"},
    "csv_sector": {"en": "sector", "id": "Sektor"},
    "csv_countries": {"en": "countries", "id": "Negara"},
    "csv_language": {"en": "language", "id": "Bahasa kasus"},
    "csv_status": {"en": "status", "id": "Status"},
    # Toasts and messages the app composes from the library's results.
    "index_updated": {
        "en": "Search index updated: {added} added, {updated} updated, {removed} removed; "
        "{total} cases searchable.",
        "id": "Indeks pencarian diperbarui: {added} ditambahkan, {updated} diubah, {removed} "
        "dihapus; {total} kasus dapat dicari.",
    },
    "no_case_suggestion": {"en": "Did you mean {id}?", "id": "Maksud Anda {id}?"},
}


@dataclass(frozen=True)
class Message:
    """A sentence of the catalogue with its values, said in the language it is shown in (a
    library message the command line prints in English and the app in the reader's)."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str = "en") -> str:
        """The sentence in ``lang``: numbers grouped as the language writes them, messages
        among the values said in it too."""
        return t(self.key, lang, **{k: _said(v, lang) for k, v in self.values})


def message(key: str, **values: object) -> Message:
    """The message ``key`` with its values."""
    return Message(key, tuple(values.items()))


def _said(value: object, lang: str) -> object:
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, int) and not isinstance(value, bool):
        grouped = f"{value:,}"
        return grouped.replace(",", ".") if lang == "id" else grouped
    return value


def t(key: str, lang: str, **values: object) -> str:
    """The string ``key`` in ``lang`` (English if it has none), its placeholders filled; with
    ``n=1`` the ``<key>_one`` form if there is one. An unknown key comes back as itself."""
    if values.get("n") == 1 and f"{key}_one" in STRINGS:
        key = f"{key}_one"
    text = STRINGS.get(key, {}).get(lang) or STRINGS.get(key, {}).get("en") or key
    return text.format(**values) if values else text
