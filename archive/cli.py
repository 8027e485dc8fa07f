"""The command line: a thin layer over the library. Exit codes: 0 fine, 1 problems found, 2 usage.

Example::

    archive validate cases/ --strict
    archive index
    archive search "kebocoran data" --outcome recovered --json
    archive show target-2013-card-data-breach
"""

from __future__ import annotations

import json
import logging
import os
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import click

# Only what builds the commands and their options is imported here; each command imports
# the stages it runs, so that '--help' and 'search' load no pipeline they do not use
# (tests/test_architecture.py checks it with python -X importtime).
from archive.choices import BRIEF_FORMATS, SORTS
from archive.engine import ENGINES
from archive.errors import ArchiveError, IndexLockedError
from archive.fields import FACETS as FIELD_FACETS
from archive.fields import TAXONOMY_FACETS
from archive.locations import locate

if TYPE_CHECKING:
    from archive.breadth import Breadth
    from archive.search import Archive

SCHEMA_PATH = Path("schema") / "case.schema.json"


class Settings:
    """The folders a command works on, and the archive opened in them on demand."""

    def __init__(self, cases_dir: Path, index_dir: Path):
        self.cases_dir = cases_dir
        self.index_dir = index_dir

    def archive(self) -> Archive:
        from archive.search import open_archive

        if not self.cases_dir.is_dir():
            raise click.UsageError(
                f"{self.cases_dir}: no such folder of case files (see --cases-dir)"
            )
        archive = open_archive(self.cases_dir, self.index_dir, update="if-stale")
        report = archive.last_report
        if report is not None and report.changed:
            click.echo(f"index updated first: {report.summary()}", err=True)
        return archive


# 'archive index' waits this long for another writer: a rebuild of a few thousand cases
# takes about a minute. Then it exits with EX_TEMPFAIL (sysexits.h): try again later.
INDEX_LOCK_WAIT = 120.0
EXIT_LOCKED = 75


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--cases-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of case files [default: ARCHIVE_CASES_DIR, else cases/ in this folder].",
)
@click.option(
    "--index-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder for the index and the entity cache, a build product [default: "
    "ARCHIVE_INDEX_DIR, else .archive/ beside the cases folder].",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=None,
    help="Search engine [default: ARCHIVE_ENGINE, else whoosh]. An index another engine "
    "built is rebuilt.",
)
@click.version_option(package_name="comeback-case-archive")
@click.pass_context
def cli(
    ctx: click.Context, cases_dir: Path | None, index_dir: Path | None, engine: str | None
) -> None:
    """Comeback Case Archive: reputation crises and how their subjects recovered."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if engine:  # one setting for every stage this command reaches
        os.environ["ARCHIVE_ENGINE"] = engine
    folders = locate(cases_dir, index_dir)
    ctx.obj = Settings(folders.cases, folders.index)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings (such as unknown keys) too.")
@click.pass_obj
def validate(settings: Settings, paths: tuple[Path, ...], strict: bool) -> None:
    """Check case files and report every problem as path:line: field: message.

    Example: archive validate cases/ --strict
    """
    from archive.loader import load_cases

    targets = list(paths) or [settings.cases_dir]
    for target in targets:
        if not target.exists():
            raise click.UsageError(f"{target}: no such file or folder")
    result = load_cases(targets, known_ids=_neighbour_ids(targets, settings.cases_dir))
    for problem in result.problems:
        click.echo(str(problem))
    errors, warnings = len(result.errors), len(result.warnings)
    click.echo(
        f"{result.files} files: {len(result.cases)} valid cases, {errors} errors, {warnings} warnings",
        err=True,
    )
    if errors or (strict and warnings):
        sys.exit(1)


def _neighbour_ids(targets: list[Path], cases_dir: Path) -> set[str]:
    """Ids of the case files beside single files being checked, and of the cases folder: a
    file's 'related' links may name cases that are not being checked with it."""
    from archive.loader import discover

    folders = {t.parent for t in targets if t.is_file()}
    if folders and cases_dir.is_dir():
        folders.add(cases_dir)
    return {f.stem for f in discover(sorted(folders))}


@cli.command()
@click.option("--rebuild", is_flag=True, help="Rebuild from scratch instead of updating.")
@click.option("-v", "--verbose", is_flag=True, help="List the ids added, updated and removed.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=lambda: min(4, os.cpu_count() or 1),
    show_default="the number of cores, at most 4",
    help="Processes that find entities and write the index (for large rebuilds).",
)
@click.option(
    "--lock-timeout",
    type=click.FloatRange(0),
    default=INDEX_LOCK_WAIT,
    show_default=True,
    help="Seconds to wait while another 'archive index' or an app save holds the index; "
    f"then exit with status {EXIT_LOCKED}.",
)
@click.pass_obj
def index(
    settings: Settings, rebuild: bool, verbose: bool, workers: int, lock_timeout: float
) -> None:
    """Update the search index from the case files (only what changed).

    Example: archive index --rebuild
    """
    from archive.index import update_index

    if not settings.cases_dir.is_dir():
        raise click.UsageError(f"{settings.cases_dir}: no such folder of case files")
    report = update_index(
        settings.cases_dir,
        settings.index_dir,
        rebuild=rebuild,
        workers=workers,
        timeout=lock_timeout,
    )
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if report.problems:
        skipped = len({p.path for p in report.problems if p.is_error})
        click.echo(f"{skipped} file(s) skipped because of errors", err=True)
    click.echo(report.summary())
    if verbose and not report.rebuilt:
        for label, ids in (
            ("added", report.added),
            ("updated", report.updated),
            ("removed", report.removed),
        ):
            for case_id in ids:
                click.echo(f"  {label}: {case_id}")
    if not report.model_available:
        click.echo(
            "note: no spaCy model installed; entities come from curated names only", err=True
        )
    if any(p.is_error for p in report.problems):
        sys.exit(1)


def _facet_options(command):
    """One repeatable option per facet of the table in archive/fields.py that has one."""
    for spec in reversed(FIELD_FACETS):
        if spec.cli:
            command = click.option(
                f"--{spec.cli}", spec.name, multiple=True, help=f"{spec.cli_help} (repeatable: OR)"
            )(command)
    return command


@cli.command()
@click.argument("query", nargs=-1)
@_facet_options
@click.option("--year-from", type=int)
@click.option("--year-to", type=int)
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option(
    "--facets", "show_facets", is_flag=True, help="Also print the counts per filter value."
)
@click.option("--exact", is_flag=True,
              help="Search the words as typed, even when a corrected spelling finds more.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the full response as JSON.")
@click.pass_obj
def search(
    settings: Settings,
    query: tuple[str, ...],
    year_from: int | None,
    year_to: int | None,
    sort: str,
    limit: int,
    page: int,
    show_facets: bool,
    exact: bool,
    as_json: bool,
    **filters: tuple[str, ...],
) -> None:
    """Search the archive: words (AND), "phrases", field:value, OR, NOT, and filters.

    Example: archive search "kebocoran data" --outcome recovered --json
    """
    from archive.search import SearchRequest

    country = [c.upper() for c in filters.pop("countries", ())]
    chosen = {k: list(v) for k, v in filters.items() if v}
    if country:
        chosen["countries"] = country
    request = SearchRequest(
        " ".join(query),
        filters=chosen,
        year_from=year_from,
        year_to=year_to,
        sort=sort,
        page=page,
        per_page=limit,
        correct=not exact,
    )
    archive = settings.archive()
    response = archive.search(request)
    if as_json:
        click.echo(json.dumps(response.to_dict(), indent=2, ensure_ascii=False))
        return
    _echo_results(response, page, limit, show_facets)


def _echo_results(response, page: int, limit: int, show_facets: bool) -> None:
    """The search's text output: notes, the page of hits with a snippet each, counts."""
    from archive.taxonomy import load_taxonomy

    request = response.request
    if response.notice:
        click.echo(f"note: {response.notice}", err=True)
    if response.corrected:
        typed = " ".join(request.query.split())
        click.echo(f"showing results for: {response.corrected} "
                   f"(search instead for '{typed}' with --exact)")  # fmt: skip
    if response.suggestion:
        click.echo(f"did you mean: {response.suggestion}")
    near = f" ({response.near} lacking one of the words)" if response.near else ""
    click.echo(f"{response.total} case(s){near}; page {page} of {response.pages}")
    tax = load_taxonomy()
    for rank, hit in enumerate(response.hits, start=(page - 1) * limit + 1):
        outcome = tax.label("outcomes", hit.outcome)
        click.echo(f"\n{rank:>3}. {hit.title}")
        click.echo(f"     {hit.id} | {hit.subject} | {hit.year} | {outcome}")
        if hit.missing:
            click.echo(f"     (lacks: {', '.join(hit.missing)})")
        for snippet in hit.snippets[:1]:
            text = snippet.marked("\u00bb", "\u00ab")
            click.echo(textwrap.fill(text, 96, initial_indent="     ", subsequent_indent="     "))
    if show_facets:
        click.echo("\nCounts (each facet ignores its own selection; * = selected):")
        for name, values in response.facets.items():
            shown = ", ".join(
                f"{'*' if v.selected else ''}{v.value} {v.count}" for v in values[:12]
            )
            more = f", ... ({len(values) - 12} more)" if len(values) > 12 else ""
            click.echo(f"  {name}: {shown or '-'}{more}")


@cli.command()
@click.argument("situation", nargs=-1)
@click.option("--crisis-type", help="Crisis type id (a graded match, not a filter).")
@click.option("--sector", help="Sector id.")
@click.option("--country", help="ISO country code; the same continent counts for half.")
@click.option("--subject-kind", type=click.Choice(["organization", "person"]))
@click.option("--responsibility", type=click.Choice(["victim", "accidental", "preventable"]),
              help="SCCT cluster; the next cluster counts for half.")  # fmt: skip
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--top", type=click.IntRange(1, 50), default=10, show_default=True,
              help="The closest cases 'what worked' reads.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print hits, reasons and what worked.")
@click.pass_obj
def precedents(
    settings: Settings, situation: tuple[str, ...], limit: int, top: int, as_json: bool, **fields
) -> None:
    """Find the precedents of a situation: every case ranked by closeness, with reasons.

    Example: archive precedents "customer data leaked, ministry asking" --country ID --json
    """
    from archive.finder import Situation, find

    given = {k: v for k, v in fields.items() if v}
    if given.get("country"):
        given["country"] = given["country"].upper()
    found = find(settings.archive(), Situation(" ".join(situation), **given), limit, top)
    if as_json:
        click.echo(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
        return
    _echo_finding(found)


def _echo_finding(found) -> None:
    """The finder's text output: each case with its reasons, then what the closest did."""
    from archive.taxonomy import load_taxonomy

    tax = load_taxonomy()
    if not found.precedents:
        click.echo("no case is close to this situation")
        return
    for rank, p in enumerate(found.precedents, 1):
        click.echo(f"\n{rank:>3}. {p.title}")
        outcome = tax.label("outcomes", p.outcome)
        click.echo(f"     {p.id} | {p.year} | {outcome} | score {p.score:.2f}")
        why = "; ".join(r.text("en", tax) for r in p.reasons)
        click.echo(textwrap.fill(why, 96, initial_indent="     ", subsequent_indent="     "))
    worked = found.what_worked
    click.echo(f"\nWhat the {len(worked.cases)} closest cases did (recovered: fully or in part):")
    for r in worked.tactics:
        label = tax.label("tactics", r.tactic)
        click.echo(f"  {label}: {len(r.recovered)} recovered, {len(r.not_recovered)} did not")
    if worked.ongoing:
        click.echo(f"  still ongoing, left out: {', '.join(worked.ongoing)}")
    for tm in worked.timings:
        if tm.median is None:
            continue
        thin = " (thin)" if len(tm.days) < worked.thin_below else ""
        what = tm.measure.replace("_", " ")
        click.echo(f"  days to {what}, {tax.label('outcomes', tm.outcome)}: median "
                   f"{tm.median:g} over {len(tm.days)} case(s){thin}")  # fmt: skip


@cli.command()
@click.argument("case_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def show(settings: Settings, case_id: str, as_json: bool) -> None:
    """Show one case with its extracted entities and similar cases.

    Example: archive show target-2013-card-data-breach
    """
    from archive import citations
    from archive.taxonomy import load_taxonomy

    archive = settings.archive()
    view = archive.get(case_id)
    similar = archive.similar(case_id, limit=3)
    if as_json:
        data = view.case.model_dump()
        data["entities_extracted"] = [e.to_dict() for e in view.entities]
        data["similar"] = [{"id": h.id, "title": h.title, "shared": h.reasons} for h in similar]
        data["path"] = view.path
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    tax = load_taxonomy()
    case = view.case
    click.echo(case.title)
    click.echo("=" * min(len(case.title), 96))
    click.echo(f"subject:   {case.subject} ({case.subject_kind})")
    click.echo(
        f"crisis:    {case.crisis_date}; "
        + ", ".join(tax.label("crisis_types", t) for t in case.crisis_types)
    )
    click.echo("tactics:   " + ", ".join(tax.label("tactics", t) for t in case.tactics))
    click.echo(f"outcome:   {tax.label('outcomes', case.outcome)}")
    if case.outcome_summary:
        click.echo(
            textwrap.fill(
                case.outcome_summary,
                96,
                initial_indent="           ",
                subsequent_indent="           ",
            )
        )
    names = [e.name for e in view.entities if e.kind in ("person", "organization", "place")]
    click.echo("entities:  " + ", ".join(names[:15]))
    click.echo(f"file:      {view.path}\n")
    click.echo(case.body)
    click.echo("\nSources:")
    for source in case.sources:
        click.echo(f"  - {citations.apa_source(source)}")
    if similar:
        click.echo("\nSimilar cases:")
        for hit in similar:
            click.echo(f"  - {hit.id}: {hit.title}")


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stats(settings: Settings, as_json: bool) -> None:
    """Coverage: cases per crisis type, tactic, outcome, sector, language; unused taxonomy ids;
    the archive's breadth beside the floor it keeps.

    Example: archive stats
    """
    from archive.breadth import measure
    from archive.taxonomy import load_taxonomy

    archive = settings.archive()
    coverage = archive.coverage()
    breadth = measure(archive.all_cases())
    if as_json:
        data = {**coverage.to_dict(), "breadth": breadth.to_dict()}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    tax = load_taxonomy()
    counts = coverage.counts
    languages = ", ".join(f"{lang} {n}" for lang, n in sorted(counts["language"].items()))
    click.echo(f"{coverage.total} cases; by language: {languages or '-'}")
    click.echo(
        f"subjects: {', '.join(f'{k} {n}' for k, n in sorted(counts['subject_kind'].items())) or '-'}; "
        f"cases in Indonesia: {counts['countries'].get('ID', 0)}"
    )
    for facet, kind in TAXONOMY_FACETS.items():
        click.echo(f"\n{facet}:")
        for tid in tax.ids(kind):
            n = counts[facet].get(tid, 0)
            mark = "   <- unused" if not n else ""
            click.echo(f"  {n:>4}  {tid:<28} {tax.label(kind, tid)}{mark}")
    for facet in ("countries", "year"):
        values = sorted(counts[facet].items(), key=lambda vc: (-vc[1], vc[0]))
        click.echo(f"\n{facet}: " + ", ".join(f"{v} {n}" for v, n in values))
    click.echo(
        "\nentities: "
        + ", ".join(f"{len(counts[f])} {f}" for f in ("people", "organizations", "places"))
    )
    click.echo("")
    for facet, ids in coverage.unused.items():
        label = f"unused {facet}:"
        click.echo(f"{label:<24}{', '.join(ids) if ids else 'none'}")
    _echo_breadth(breadth)


def _echo_breadth(report: Breadth) -> None:
    """The breadth measures beside the floor the archive keeps; '<- short' marks a miss."""
    from archive.breadth import FLOOR, LABELS, TACTIC_FLOOR, TOP_TACTICS

    short = report.short()
    click.echo("\nbreadth (value, floor):")
    for name, label in LABELS.items():
        mark = "   <- short" if name in short else ""
        click.echo(f"  {label:<36}{report.values[name]:>5}  >= {FLOOR[name]}{mark}")
    click.echo(
        "  continents: "
        + ", ".join(f"{c} {n}" for c, n in sorted(report.continents.items(), key=lambda x: -x[1]))
    )
    click.echo("  decades: " + ", ".join(f"{d}s {n}" for d, n in report.decades.items()))
    click.echo(f"  recent: since {report.since}")
    click.echo(
        f"\nthe {TOP_TACTICS} most used tactics, in cases with a decided outcome "
        f"(>= {TACTIC_FLOOR} each):"
    )
    for tid, n in report.tactics.items():
        mark = "   <- short" if f"tactic:{tid}" in short else ""
        click.echo(f"  {n:>4}  {tid}{mark}")


_EDITOR_OPTION = click.option(
    "--editor", help="Author of the version (default: your git identity)."
)
_SUMMARY_OPTION = click.option(
    "--summary", help="One line for the version's message (asked in a terminal if left out)."
)


def _version(
    settings: Settings, path: Path, action: str, case_id: str, summary: str | None,
    editor: str | None, default: str,
) -> None:  # fmt: skip
    """Commit the saved case file when cases/ is in git; say why not otherwise."""
    from archive.history import commit_case

    if summary is None:
        summary = (
            click.prompt("One-line summary of this change", default=default)
            if sys.stdin.isatty()
            else default
        )
    committed = commit_case(settings.cases_dir, path, action, case_id, summary, editor)
    if committed.ok:
        click.echo(f"versioned as {committed.rev[:10]}: {action} {case_id}: {summary}", err=True)
    else:
        click.echo(f"note: saved but not versioned: {committed.reason}", err=True)


def _ask(value: str | None, label: str, option: str) -> str:
    if value:
        return value
    if sys.stdin.isatty():
        return click.prompt(label)
    raise click.UsageError(f"{option} is required (or run in a terminal to be asked)")


def _check_ids(kind: str, values: tuple[str, ...], option: str) -> list[str]:
    from archive.taxonomy import load_taxonomy

    tax = load_taxonomy()
    for value in values:
        if not tax.has(kind, value):
            guess = tax.suggest(kind, value)
            hint = f"; did you mean {guess}?" if guess else ""
            raise click.UsageError(f"{option} '{value}' is not a known id{hint}")
    return list(values)


@cli.command()
@click.option("--title")
@click.option("--subject", help="Who faced the crisis.")
@click.option("--kind", "subject_kind", type=click.Choice(["organization", "person"]))
@click.option("--crisis-date", help="YYYY, YYYY-MM or YYYY-MM-DD")
@click.option("--crisis-type", "crisis_types", multiple=True)
@click.option("--tactic", "tactics", multiple=True)
@click.option("--outcome", default="ongoing", show_default=True)
@click.option("--language", type=click.Choice(["en", "id"]), default="en", show_default=True)
@click.option("--sector")
@click.option("--country", "countries", multiple=True)
@click.option("--id", "case_id", help="Defaults to one made from subject, year and crisis type.")
@click.option("--source-title")
@click.option("--source-publisher")
@click.option("--source-url")
@_EDITOR_OPTION
@_SUMMARY_OPTION
@click.pass_obj
def new(settings: Settings, editor: str | None, summary: str | None, **opts) -> None:
    """Scaffold a new case file in the cases folder (never replaces an existing one).

    Example: archive new --title "Acme recalls kettles" --subject "Acme" --kind organization
    --crisis-date 2019-03 --crisis-type product-safety --tactic recall
    """
    from archive.editor import UnsafeIdError, scaffold, suggest_id, write_scaffold
    from archive.loader import load_cases
    from archive.model import PARTIAL_DATE_RE

    opts["title"] = _ask(opts["title"], "Title", "--title")
    opts["subject"] = _ask(opts["subject"], "Subject (company, person or institution)", "--subject")
    opts["subject_kind"] = _ask(opts["subject_kind"], "Kind (organization or person)", "--kind")
    opts["crisis_date"] = _ask(opts["crisis_date"], "Crisis date (YYYY[-MM[-DD]])", "--crisis-date")
    if opts["subject_kind"] not in ("organization", "person"):
        raise click.UsageError("--kind must be organization or person")
    if not PARTIAL_DATE_RE.match(opts["crisis_date"]):
        raise click.UsageError("--crisis-date must be YYYY, YYYY-MM or YYYY-MM-DD")
    _check_ids("crisis_types", opts["crisis_types"], "--crisis-type")
    _check_ids("tactics", opts["tactics"], "--tactic")
    _check_ids("outcomes", (opts["outcome"],), "--outcome")
    if opts["sector"]:
        _check_ids("sectors", (opts["sector"],), "--sector")
    settings.cases_dir.mkdir(parents=True, exist_ok=True)
    taken = [p.stem for p in settings.cases_dir.iterdir()]
    case_id = opts.pop("case_id") or suggest_id(
        opts["subject"], opts["crisis_date"], (opts["crisis_types"] or ("",))[0], taken
    )
    text = scaffold(case_id=case_id, countries=[c.upper() for c in opts.pop("countries")], **opts)
    try:
        path = write_scaffold(settings.cases_dir, case_id, text, editor=editor)
    except UnsafeIdError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {path}")
    _version(settings, path, "created", case_id, summary, editor, "new case")
    result = load_cases([path])
    for problem in result.problems:
        click.echo(str(problem), err=True)
    click.echo(
        "fill in the TODO placeholders, then run: archive validate --strict " + str(path), err=True
    )


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--id", "case_id", help="The new case's id (default: from subject, year and crisis type)."
)
@click.option("--json", "as_json", is_flag=True,
              help="Print the draft and every suggestion with its evidence as JSON; write no case file.")  # fmt: skip
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write here instead of cases/<id>.md ('-' prints it); never overwrites.")  # fmt: skip
@click.option("--timeout", type=click.FloatRange(1, 300), default=20.0, show_default=True,
              help="Seconds to wait for a web page.")  # fmt: skip
@click.option("--max-bytes", type=click.IntRange(1024), default=5 * 1024 * 1024,
              show_default=True, help="Largest page or file read.")  # fmt: skip
@click.pass_obj
def draft(
    settings: Settings,
    sources: tuple[str, ...],
    case_id: str | None,
    as_json: bool,
    output: Path | None,
    timeout: float,
    max_bytes: int,
) -> None:
    """Draft a case from its sources: URLs, .html/.txt/.md files, or '-' for standard input.

    Every suggestion (crisis types, tactics, sector, countries, entities, dated events,
    quotes, possible duplicates) comes with the sentence it was found in. The draft has
    status: draft and TODO placeholders; a source that fails is reported and the others
    still count; nothing is written when no source can be used.

    Example: archive draft https://example.org/news/breach.html notes.txt --id acme-2024-data-breach
    """
    from archive.editor import UnsafeIdError, case_path
    from archive.intake.draft import drafter_for
    from archive.intake.extract import read_articles

    if case_id is not None:
        try:
            case_path(settings.cases_dir, case_id)
        except UnsafeIdError as exc:
            raise click.UsageError(str(exc)) from None

    def progress(_: int, spec: str) -> None:
        if "://" in spec:
            click.echo(f"fetching {spec} ...", err=True)

    articles, problems = read_articles(
        list(sources), timeout=timeout, max_bytes=max_bytes, progress=progress
    )
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if not articles:
        click.echo("no usable source: nothing was written", err=True)
        sys.exit(1)
    archive = settings.archive()
    drafter = drafter_for(archive.all_cases(), settings.index_dir)
    taken = [p.stem for p in settings.cases_dir.iterdir()] if settings.cases_dir.is_dir() else []
    result = drafter.draft(articles, case_id=case_id, taken=taken)
    text = result.to_json() + "\n" if as_json else result.to_text()
    if (as_json and output is None) or (output is not None and str(output) == "-"):
        click.echo(text, nl=False)
        _draft_summary(result, None, as_json)
        return
    path = _write_draft(settings, result, text, output)
    _draft_summary(result, path, as_json)


def _write_draft(settings: Settings, result, text: str, output: Path | None) -> Path:
    """Write a draft as a new file (never over one); in the cases folder, a first version."""
    from archive.editor import case_path, write_new_file

    path = output or case_path(settings.cases_dir, result.case["id"])
    try:
        write_new_file(path, text.encode("utf-8"))
    except FileExistsError:
        raise click.ClickException(
            f"{path} already exists and is never overwritten: choose --id or -o"
        ) from None
    except FileNotFoundError:
        raise click.UsageError(f"{path.parent}: no such folder") from None
    click.echo(f"wrote {path}")
    if output is None:
        names = ", ".join(a.title or a.source for a in result.articles)
        _version(settings, path, "created", result.case["id"], f"drafted from {names}"[:200],
                 None, "")  # fmt: skip
    return path


def _draft_summary(result, path: Path | None, as_json: bool) -> None:
    from archive.loader import load_cases

    s = result.suggestions
    click.echo(
        f"from {len(result.articles)} source(s): crisis types {', '.join(result.case['crisis_types'])}; "
        f"tactics {', '.join(result.case['tactics'])}; {len(result.timeline)} dated sentence(s), "
        f"{len(result.entities)} name(s), {len(result.quotes)} quote(s)",
        err=True,
    )
    if not result.timeline:
        click.echo("note: no dated sentence in the sources; check crisis_date and add the timeline",
                   err=True)  # fmt: skip
    if not s["crisis_types"]:
        click.echo("note: no crisis type found in the sources; choose one", err=True)
    for dup in result.duplicates:
        click.echo(f"possible duplicate: {dup.id} ({dup.reason})", err=True)
    if path is not None and not as_json:
        problems = load_cases([path]).problems
        errors = [p for p in problems if p.is_error]
        for problem in errors:
            click.echo(str(problem), err=True)
        click.echo(
            f"{len(problems) - len(errors)} placeholder(s) and suggestion(s) to check; then run: "
            f"archive validate --strict {path}",
            err=True,
        )


@cli.command()
@click.argument("case_id")
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", type=click.IntRange(1), help="Only the newest N versions.")
@click.pass_obj
def history(settings: Settings, case_id: str, as_json: bool, limit: int | None) -> None:
    """The versions of a case: date, editor and summary, newest first (renames followed).

    Example: archive history target-2013-card-data-breach
    """
    from archive.history import history as case_history

    versions = case_history(settings.cases_dir, case_id, limit)
    if as_json:
        click.echo(json.dumps([v.to_dict() for v in versions], indent=2, ensure_ascii=False))
        return
    for n, v in zip(range(len(versions), 0, -1), versions, strict=True):
        what = f"{v.action}: {v.summary}" if v.action else v.summary
        click.echo(f"{n:>4}  {v.short}  {v.date[:16].replace('T', ' ')}  {v.author:<20}  {what}")


@cli.command()
@click.argument("case_id")
@click.argument("revs", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def diff(settings: Settings, case_id: str, revs: tuple[str, ...], as_json: bool) -> None:
    """What changed in a case between two versions (or a version and the file now):
    field by field for the front matter, paragraph by paragraph for the narrative.

    A version is a revision from 'archive history' (its first characters will do) or its
    number there (1 is the oldest).

    Example: archive diff target-2013-card-data-breach 1 3
    """
    from archive.editor import existing_file
    from archive.history import diff_texts, find_version, text_at
    from archive.history import history as case_history

    if len(revs) > 2:
        raise click.UsageError("give one or two versions")
    versions = case_history(settings.cases_dir, case_id)
    old = find_version(versions, revs[0])
    path = existing_file(settings.cases_dir, case_id)
    if len(revs) == 2:
        new_version = find_version(versions, revs[1])
        new_text, new_label = text_at(settings.cases_dir, new_version), new_version.short
    else:
        new_text, new_label = path.read_text(encoding="utf-8"), "the file now"
    result = diff_texts(text_at(settings.cases_dir, old), new_text, path.suffix)
    if as_json:
        data = {"case": case_id, "from": old.rev, "to": new_label, **result.to_dict()}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    click.echo(f"{case_id}: {old.short} -> {new_label}")
    if result.empty:
        click.echo("no difference")
    for change in result.fields:
        if change.added or change.removed:
            parts = [f"+ {_one_line(v)}" for v in change.added]
            parts += [f"- {_one_line(v)}" for v in change.removed]
            click.echo(f"{change.field}:")
            for part in parts:
                click.echo(f"  {part}")
        else:
            click.echo(f"{change.field}: {_one_line(change.old)} -> {_one_line(change.new)}")
    for change in result.paragraphs:
        click.echo(f"narrative ({change.op}):")
        for paragraph in change.old:
            click.echo(
                textwrap.fill(paragraph, 96, initial_indent="  - ", subsequent_indent="    ")
            )
        for paragraph in change.new:
            click.echo(
                textwrap.fill(paragraph, 96, initial_indent="  + ", subsequent_indent="    ")
            )


def _one_line(value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


@cli.command()
@click.argument("case_id")
@click.argument("rev")
@_EDITOR_OPTION
@_SUMMARY_OPTION
@click.pass_obj
def restore(
    settings: Settings, case_id: str, rev: str, editor: str | None, summary: str | None
) -> None:
    """Bring back an earlier version of a case as a new version (nothing is rewritten).

    Example: archive restore target-2013-card-data-breach 2 --summary "undo the lost paragraph"
    """
    from archive.history import restore as restore_version
    from archive.index import update_index

    restored = restore_version(settings.cases_dir, case_id, rev, editor, summary or "")
    click.echo(f"restored {case_id} to {restored.version.short} ({restored.version.date[:10]})")
    if restored.committed.ok:
        click.echo(f"versioned as {restored.committed.rev[:10]}", err=True)
    else:
        click.echo(f"note: saved but not versioned: {restored.committed.reason}", err=True)
    report = update_index(settings.cases_dir, settings.index_dir)
    click.echo(f"index: {report.summary()}", err=True)


@cli.command()
@click.argument("case_ids", nargs=-1, required=True)
@click.option("--lang", type=click.Choice(["en", "id"]), default="en", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="The table and the aligned timeline.")
@click.pass_obj
def compare(settings: Settings, case_ids: tuple[str, ...], lang: str, as_json: bool) -> None:
    """Compare 2-4 cases side by side; tactics with their day from each crisis.

    Example: archive compare target-2013-card-data-breach snapchat-2013-username-phone-leak
    """
    from archive import precedents

    archive = settings.archive()
    comparison = precedents.compare([archive.get(i).case for i in case_ids])
    table = comparison.table(lang)
    if as_json:
        data = {"table": [{"row": r, "cells": c} for r, c in table],
                "timeline": comparison.timeline(lang)}  # fmt: skip
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for label, cells in table:
        click.echo(label)
        for case_id, cell in zip(case_ids, cells, strict=True):
            lines = cell.splitlines() or ["-"]
            click.echo(f"  {case_id}:")
            for line in lines:
                click.echo(textwrap.fill(line, 96, initial_indent="    ", subsequent_indent="    "))


@cli.command()
@click.argument("case_id")
@click.option("--style", type=click.Choice(["apa", "bibtex", "all"]), default="all",
              show_default=True)  # fmt: skip
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def cite(settings: Settings, case_id: str, style: str, as_json: bool) -> None:
    """Citations of a case and of each of its sources, APA style and BibTeX.

    Example: archive cite target-2013-card-data-breach --style bibtex > target.bib
    """
    from archive import citations

    case = settings.archive().get(case_id).case
    if as_json:
        click.echo(json.dumps(citations.citations(case), indent=2, ensure_ascii=False))
        return
    if style in ("apa", "all"):
        click.echo("\n".join(citations.apa_all(case)))
    if style == "all":
        click.echo()
    if style in ("bibtex", "all"):
        click.echo(citations.bibtex_all(case))


@cli.group()
def export() -> None:
    """Export cases: a precedent brief as Markdown, PowerPoint or Word."""


@export.command("brief")
@click.argument("case_ids", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(BRIEF_FORMATS), default="md",
              show_default=True)  # fmt: skip
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (default: brief.<format>; '-' prints Markdown).")  # fmt: skip
@click.option("--lang", type=click.Choice(["en", "id"]), default="en", show_default=True)
@click.option("--title", help="Title of the brief.")
@click.pass_obj
def export_brief(
    settings: Settings,
    case_ids: tuple[str, ...],
    fmt: str,
    output: Path | None,
    lang: str,
    title: str | None,
) -> None:
    """A precedent brief of the given cases: one part per case, a comparison, citations.

    Example: archive export brief target-2013-card-data-breach lux-accc-2012-unfair-sales --format pptx
    """
    from archive import brief as brief_mod
    from archive.editor import write_atomic

    archive = settings.archive()
    data = brief_mod.brief([archive.get(i).case for i in case_ids], fmt, lang, title)
    if output is not None and str(output) == "-":
        if fmt != "md":
            raise click.UsageError("only the Markdown brief can be printed; give --output")
        click.echo(data.decode("utf-8"), nl=False)
        return
    output = output or Path(f"brief.{fmt}")
    if not output.parent.is_dir():
        raise click.UsageError(f"{output.parent}: no such folder for --output")
    write_atomic(output, data)
    click.echo(f"wrote {output} ({len(case_ids)} cases, {len(data):,} bytes)")


@cli.command()
@click.option("--check", is_flag=True, help="Exit 1 if the file differs from the model.")
@click.option("--output", type=click.Path(path_type=Path), default=SCHEMA_PATH, show_default=True)
def schema(check: bool, output: Path) -> None:
    """Write the JSON Schema of case files (for editors' YAML/JSON language servers).

    Example: archive schema --check
    """
    from archive.model import case_json_schema_text

    text = case_json_schema_text()
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            click.echo(f"{output} is out of date: run 'archive schema'", err=True)
            sys.exit(1)
        click.echo(f"{output} is up to date")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}")


@cli.command()
@click.option("--check", is_flag=True, help="Exit 1 if the generated part is out of date.")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False),
              show_default="docs/editing.md", help="The guide to rewrite.")  # fmt: skip
def guide(check: bool, output: Path | None) -> None:
    """Rewrite the taxonomy section of the editor's guide from archive/taxonomy.yaml.

    Only the part between the guide's taxonomy markers changes; the rest is kept.

    Example: archive guide --check
    """
    from archive.editor import write_atomic
    from archive.guide import GUIDE_PATH, render_guide

    output = output or GUIDE_PATH
    if not output.is_file():
        raise click.UsageError(f"{output}: no such file (the guide is written by hand)")
    current = output.read_text(encoding="utf-8")
    try:
        text = render_guide(current)
    except ValueError as exc:
        raise click.ClickException(f"{output}: {exc}") from None
    if check:
        if current != text:
            click.echo(f"{output} is out of date: run 'archive guide'", err=True)
            sys.exit(1)
        click.echo(f"{output} is up to date")
        return
    if current == text:
        click.echo(f"{output} is up to date")
        return
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"wrote {output}")


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option(
    "--port", type=click.IntRange(1, 65535), help="Port [default: 8501, or the config's]."
)
@click.option("--address", help="Address to listen on [default: the config's, 127.0.0.1].")
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def serve(
    settings: Settings, port: int | None, address: str | None, streamlit_args: tuple[str, ...]
) -> None:
    """Start the web app warm: the index is built if there is none and opened, and the pages
    are loaded, before the server takes its first request. Other options go to Streamlit.

    Example: archive serve --port 8601 --address 0.0.0.0
    """
    if not settings.cases_dir.is_dir():
        raise click.UsageError(f"{settings.cases_dir}: no such folder of case files")
    # The app finds the folders by the same rule (archive.locations), from these variables.
    os.environ["ARCHIVE_CASES_DIR"] = str(settings.cases_dir.absolute())
    os.environ["ARCHIVE_INDEX_DIR"] = str(settings.index_dir.absolute())
    flags = [*(["--server.port", str(port)] if port else []),
             *(["--server.address", address] if address else [])]  # fmt: skip
    sys.stdout.flush()
    sys.stderr.flush()
    # This process becomes the app's (archive/ui/serve.py): the command line imports no
    # part of the app, and the server's process id is the one that was started.
    os.execv(sys.executable, [sys.executable, "-m", "archive.ui.serve", *flags, *streamlit_args])


@cli.group()
def editors() -> None:
    """Editors who may sign in to the app, each with a name and a secret of their own.

    They are kept in editors.toml next to the cases folder (or $ARCHIVE_EDITORS_FILE) as
    scrypt hashes; never commit that file. ARCHIVE_EDITOR_SECRET signs in as "editor".

    Example: archive editors add "Siti Rahma"
    """


def _read_new_secret() -> str:
    """The new secret: typed twice, hidden, at a terminal; else one line of stdin."""
    if sys.stdin.isatty():
        return click.prompt(
            "Secret", hide_input=True, confirmation_prompt="Repeat the secret", err=True
        )
    line = sys.stdin.readline()
    if not line:
        raise click.UsageError("no secret on stdin (pipe it in as one line)")
    return line.removesuffix("\n").removesuffix("\r")


@editors.command("add")
@click.argument("name")
@click.option("--replace", is_flag=True, help="Give an existing editor a new secret.")
@click.pass_obj
def editors_add(settings: Settings, name: str, replace: bool) -> None:
    """Add an editor, asking for their secret (at least 12 characters; never shown).

    At a terminal the secret is typed twice, hidden; otherwise it is read as one line of
    standard input.

    Example: printf '%s\\n' "$SECRET" | archive editors add "Siti Rahma"
    """
    from archive.editors import EditorExists, Registry, check_name, check_new_secret, editors_path

    path = editors_path(settings.cases_dir)
    registry = Registry.load(path)
    name = check_name(name)
    existed = name in registry
    if existed and not replace:
        raise EditorExists(name)
    secret = _read_new_secret()
    check_new_secret(secret)
    registry.add(name, secret, replace=replace)
    del secret
    registry.save()
    click.echo(f"{'replaced the secret of' if existed else 'added'} "
               f"editor '{name}' in {path}")  # fmt: skip


@editors.command("remove")
@click.argument("name")
@click.pass_obj
def editors_remove(settings: Settings, name: str) -> None:
    """Remove an editor from the editors file (their app sessions end at the next page).

    Example: archive editors remove "Siti Rahma"
    """
    from archive.editors import Registry, editors_path

    path = editors_path(settings.cases_dir)
    registry = Registry.load(path)
    registry.remove(name)
    registry.save()
    click.echo(f"removed editor '{name}' from {path}")


@editors.command("list")
@click.pass_obj
def editors_list(settings: Settings) -> None:
    """List the editors by name (secrets and hashes are never shown).

    Example: archive editors list
    """
    from archive.editors import ENV_SECRET, FILE_MODE, SHARED_NAME, Registry, editors_path

    path = editors_path(settings.cases_dir)
    registry = Registry.load(path)
    for editor in registry.editors():
        click.echo(f"{editor.name}\tadded {editor.added or 'unknown'}")
    if os.environ.get(ENV_SECRET):
        click.echo(f"{SHARED_NAME}\tfrom {ENV_SECRET}")
    count = len(registry)
    click.echo(f"{count} editor{'' if count == 1 else 's'} in {path}", err=True)
    if path.exists() and path.stat().st_mode & 0o077:
        click.echo(f"warning: {path} is readable by others; run: chmod "
                   f"{FILE_MODE:o} {path}", err=True)  # fmt: skip


def main() -> None:
    """The `archive` command: domain errors and aborts become messages and exit codes."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else 1)
    except ArchiveError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_LOCKED if isinstance(exc, IndexLockedError) else 1)


if __name__ == "__main__":
    main()
