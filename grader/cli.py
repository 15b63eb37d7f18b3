"""The ``rnngrade`` command line: thin verbs over library functions.

Exit codes: 0 success; 1 the input needs fixing (a spec error, a CSV error, failing checks in
``check``); 2 usage error (unknown option, missing argument).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

LANGS = click.Choice(["zh", "en"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rnngrade")
def main():
    """Auto-graded homework for gated recurrent networks (LSTM, GRU)."""


@main.command()
@click.argument("submissions", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--assignment", "-a", default="nndl-ch6", show_default=True,
              help="A built-in assignment name or the path of a spec folder / spec.toml.")
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: gradebook.sqlite, grades.csv, students/, summary.html.")
@click.option("--release", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="An instructor release folder (RELEASE/instructor): spec version, roster, secret, language.")
@click.option("--workers", "-j", type=int, default=0, help="Parallel workers (default: one per core).")
@click.option("--force", is_flag=True, help="Re-grade submissions that are already graded.")
@click.option("--timeout", type=float, help="Seconds per function call, for every call (default: max(0.25 s, the spec's call_timeout or item timeout, 200x the answer key's time on that case)).")
@click.option("--lang", type=LANGS, help="Report language (default: the release's or the assignment's).")
@click.option("--show-solutions", is_flag=True, help="Reports show references and hidden expected values.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def grade(submissions, assignment, out, release, workers, force, timeout, lang, show_solutions, no_progress):
    """Grade every submission in SUBMISSIONS (one file or folder per student) into OUT."""
    from grader.batch import GradeOptions, grade_batch

    opts = GradeOptions(workers=workers, force=force, timeout=timeout, lang=lang,
                        show_solutions=show_solutions, progress=not no_progress)
    summary = _user_errors(lambda: grade_batch(submissions, assignment, out, release=release, options=opts))
    for line in summary.lines():
        click.echo(line)


@main.command()
@click.argument("submission", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--assignment", "-a", default="nndl-ch6", show_default=True)
@click.option("--release", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--lang", type=LANGS)
def check(submission, assignment, release, lang):
    """Run the public checks on one SUBMISSION, with the grader's sandbox and messages."""
    from grader.batch import GradeOptions, grade_one
    from grader.textreport import check_lines

    opts = GradeOptions(progress=False, public_only=True, lang=lang)
    result = _user_errors(lambda: grade_one(submission, assignment, release=release, options=opts))
    lines, ok = check_lines(result)
    for line in lines:
        click.echo(line)
    sys.exit(0 if ok else 1)


@main.command()
@click.argument("assignment")
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with a 'student' (or 'id') column: hidden cases differ per student.")
@click.option("--lang", type=LANGS)
@click.option("--secret-file", type=click.Path(dir_okay=False, path_type=Path),
              help="The course secret for per-student variants (created when absent).")
def assign(assignment, out, roster, lang, secret_file):
    """Generate the student release and the instructor's answer key for ASSIGNMENT."""
    from assignments.release import assign as do_assign

    rel = _user_errors(lambda: do_assign(assignment, out, roster=roster, lang=lang, secret_file=secret_file))
    for line in getattr(rel, "lines", lambda: [f"Release written to {out}"])():
        click.echo(line)


@main.command("validate-spec")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def validate_spec(path):
    """Report every error in the assignment spec at PATH, with its location."""
    from assignments.spec import validate_spec as validate

    errors = validate(path)
    if not errors:
        click.echo(f"{path}: no errors")
        return
    for e in errors:
        click.echo(f"{e.location}: {e.message}", err=True)
    click.echo(f"{len(errors)} error(s) in {path}", err=True)
    sys.exit(1)


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--show-solutions", is_flag=True)
@click.option("--lang", type=LANGS)
def report(out, show_solutions, lang):
    """Re-render grades.csv, results.json, grade.json and the HTML reports from OUT's gradebook."""
    from grader.rerender import rerender

    n = _user_errors(lambda: rerender(out, show_solutions=show_solutions, lang=lang))
    click.echo(f"Re-rendered {n} submission(s); summary: {out / 'summary.html'}")


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one row per student and free item to this CSV.")
@click.option("--import", "import_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Merge points (and overrides with comments) from this CSV.")
def manual(out, export_path, import_path):
    """Export free-response answers for hand grading, or import the points."""
    from grader.reports.manual import ManualImportError, export_manual, import_manual

    if bool(export_path) == bool(import_path):
        raise click.UsageError("give exactly one of --export FILE or --import FILE")
    if export_path:
        n = export_manual(out, export_path)
        click.echo(f"Wrote {n} row(s) to {export_path}; fill in 'points' (and 'comment'), then run "
                   f"`rnngrade manual {out} --import {export_path}`.")
        return
    try:
        summary = import_manual(out, import_path)
    except ManualImportError as e:
        for err in e.errors:
            click.echo(str(err), err=True)
        click.echo(f"Nothing was imported: fix the rows above in {import_path} and run the import again.",
                   err=True)
        sys.exit(1)
    click.echo(str(summary))


@main.command()
@click.argument("assignment", default="nndl-ch6")
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=LANGS, default="zh", show_default=True)
def derivation(assignment, out, lang):
    """Render the reference derivations (6-3, 6-4, 6-5) as one HTML page."""
    from grader.exports import atomic_write
    from solutions.derivation import render_derivation_html

    atomic_write(Path(out), render_derivation_html(assignment, lang))
    click.echo(f"Derivation written to {out}")


@main.command()
@click.option("--out", "-o", default="rnngrade-demo", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", type=LANGS, default="en", show_default=True)
def demo(out, lang):
    """Run the whole pipeline on built-in sample submissions: assign, grade, render."""
    from grader.demo import run_demo

    for line in _user_errors(lambda: run_demo(out, lang=lang)):
        click.echo(line)


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--allow-remote", is_flag=True, help="Allow a --host other than this machine (prints a warning).")
def review(out, host, port, allow_remote):
    """Hand-grade free answers and review the class in a browser (prints the address with its token)."""
    from grader.review.server import serve

    _user_errors(lambda: serve(out, host=host, port=port, allow_remote=allow_remote))


def _user_errors(fn):
    """Errors a person can act on become a message and exit code 1, not a traceback."""
    from grader.errors import UserError

    try:
        return fn()
    except UserError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
