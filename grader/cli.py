"""The ``rnngrade`` command line: thin verbs over library functions.

Errors are click's: one ``Error: ...`` message on stderr, no traceback, for anything the user did.

Exit codes: 0 success; 1 the input needs fixing (a spec, a CSV, a gradebook, a release, a roster, an
option's value the library refuses, an output path that cannot be written; failing checks in ``check``,
errors found by ``validate-spec``); 2 usage error (unknown option, missing argument, a value outside an
option's choices or range, a path that does not exist); anything else with a traceback is a bug in rnngrade.

Library code raises ``grader.core.errors.UserError`` (or a subclass) for what a user did; ``RnngradeGroup``
turns every one into a ``click.ClickException`` in one place, so a new command needs no wrapper.

Each command imports what it runs inside its function: ``rnngrade --help`` and every command start
without loading NumPy, Jinja, SymPy or the web framework that other commands need.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.core.errors import UserError

LANGS = click.Choice(["zh", "en"])


class RnngradeGroup(click.Group):
    """The command group: a ``UserError`` raised below any command becomes ``Error: <message>`` and exit
    code 1 (click's own errors keep theirs). Only user errors are caught: a bug keeps its traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=RnngradeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rnngrade")
def main():
    """Auto-graded homework for gated recurrent networks (LSTM, GRU)."""


@main.command()
@click.argument("submissions", type=click.Path(exists=True, path_type=Path))
@click.option("--assignment", "-a", default="nndl-ch6", show_default=True,
              help="A built-in assignment name or the path of a spec folder / spec.toml.")
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: gradebook.sqlite, grades.csv, students/, summary.html.")
@click.option("--release", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="An instructor release folder (RELEASE/instructor): spec version, roster, secret, language.")
@click.option("--workers", "-j", type=click.IntRange(min=0), default=0,
              help="Parallel workers (default: one per core).")
@click.option("--force", is_flag=True, help="Re-grade submissions that are already graded.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
              help="Seconds per function call, for every call (default: max(0.25 s, the spec's call_timeout or "
                   "item timeout, 200x the answer key's time on that case)).")
@click.option("--lang", type=LANGS, help="Report language (default: the release's or the assignment's).")
@click.option("--show-solutions", is_flag=True, help="Reports show references and hidden expected values.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV: 'student' and any of name, sortable_name, login, email, lms_id (to match LMS students).")
@click.option("--from", "source", type=click.Choice(["canvas", "moodle", "blackboard", "gradescope", "folder"]),
              help="The LMS the download comes from (default: detected from its file names).")
@click.option("--attempt", type=click.Choice(["latest", "best", "all"]), default="latest", show_default=True,
              help="Which attempts to grade when the download holds several.")
@click.option("--deadline", help="ISO 8601 with an offset, e.g. 2026-12-01T23:59:00+08:00.")
@click.option("--late-policy", help="'10%/day, max 3 days', 'zero' or 'none' (default: none).")
@click.option("--allow-reduced-isolation", is_flag=True,
              help="Grade even when a sandbox layer this machine has could not be set up (the summary, "
                   "every row and report then say so).")
def grade(submissions, assignment, out, release, workers, force, timeout, lang, show_solutions, no_progress,
          roster, source, attempt, deadline, late_policy, allow_reduced_isolation):
    """Grade SUBMISSIONS into OUT: an LMS download (.zip or folder from Canvas, Moodle, Blackboard,
    Gradescope) or a folder with one file or folder per student."""
    from grader.pipeline.batch import GradeOptions, grade_batch
    from grader.lms.cli import intake_options

    opts = GradeOptions(workers=workers, force=force, timeout=timeout, lang=lang,
                        show_solutions=show_solutions, progress=not no_progress,
                        allow_reduced_isolation=allow_reduced_isolation)
    intake = intake_options(source, attempt, deadline, late_policy)
    summary = grade_batch(submissions, assignment, out, release=release, options=opts, intake=intake,
                          roster=roster, on_plan=lambda lines: [click.echo(x) for x in lines])
    for line in summary.lines():
        click.echo(line)


@main.command()
@click.argument("submission", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--assignment", "-a", default="nndl-ch6", show_default=True)
@click.option("--release", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--lang", type=LANGS)
def check(submission, assignment, release, lang):
    """Run the public checks on one SUBMISSION, with the grader's sandbox and messages."""
    from grader.pipeline.batch import GradeOptions, grade_one
    from grader.outputs.textreport import check_lines

    opts = GradeOptions(progress=False, public_only=True, lang=lang)
    result = grade_one(submission, assignment, release=release, options=opts)
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

    rel = do_assign(assignment, out, roster=roster, lang=lang, secret_file=secret_file)
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
    raise click.ClickException(f"{len(errors)} error(s) in {path}")


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--show-solutions", is_flag=True)
@click.option("--lang", type=LANGS)
def report(out, show_solutions, lang):
    """Re-render grades.csv, results.json, grade.json and the HTML reports from OUT's gradebook."""
    from grader.outputs.rerender import rerender

    n = rerender(out, show_solutions=show_solutions, lang=lang)
    click.echo(f"Re-rendered {n} submission(s); summary: {out / 'summary.html'}")


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one row per student and free item to this CSV.")
@click.option("--import", "import_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Merge points (and overrides with comments) from this CSV.")
def manual(out, export_path, import_path):
    """Export free-response answers for hand grading, or import the points."""
    from grader.outputs.manual import export_manual, import_manual

    if bool(export_path) == bool(import_path):
        raise click.UsageError("give exactly one of --export FILE or --import FILE")
    if export_path:
        n = export_manual(out, export_path)
        click.echo(f"Wrote {n} row(s) to {export_path}; fill in 'points' (and 'comment'), then run "
                   f"`rnngrade manual {out} --import {export_path}`.")
        return
    click.echo(str(import_manual(out, import_path)))


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--to", "fmt", required=True, type=click.Choice(["canvas", "moodle", "blackboard", "csv"]),
              help="The LMS import format.")
@click.option("--out", "dest", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Roster CSV for ids the download did not give (login, email, lms_id, names).")
@click.option("--column", help="The LMS's column: Canvas 'Name (id)', Blackboard 'Name [Total Pts: N Score] |id'.")
@click.option("--points", type=float, help="Scale scores to this many points (the LMS assignment's maximum).")
def export(out, fmt, dest, roster, column, points):
    """Write OUT's grades (after late penalties and overrides) as the file an LMS imports."""
    from grader.lms.export import export_grades

    summary = export_grades(out, fmt, dest, roster_csv=roster, column=column, points=points)
    for line in summary.lines():
        click.echo(line)


def _with_derivation(ctx, param, assignment):
    """Only some assignments have a derivation: any other name is a wrong value of the argument (exit 2),
    like a value outside a click.Choice; the list is read here, when the command runs, not at CLI import."""
    from solutions.derivation.render import ASSIGNMENTS

    if assignment not in ASSIGNMENTS:
        raise click.BadParameter(f"{assignment!r} has no reference derivation; available: "
                                 f"{', '.join(ASSIGNMENTS)}.")
    return assignment


@main.command()
@click.argument("assignment", default="nndl-ch6", callback=_with_derivation)
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=LANGS, default="zh", show_default=True)
def derivation(assignment, out, lang):
    """Render the reference derivations (6-3, 6-4, 6-5) as one HTML page."""
    from grader.outputs.exports import atomic_write
    from solutions.derivation import render_derivation_html

    atomic_write(Path(out), render_derivation_html(assignment, lang))
    click.echo(f"Derivation written to {out}")


@main.command()
@click.option("--out", "-o", default="rnngrade-demo", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", type=LANGS, default="en", show_default=True)
def demo(out, lang):
    """Run the whole pipeline on built-in sample submissions: assign, grade, render."""
    from grader.demos.course import run_demo

    for line in run_demo(out, lang=lang):
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

    serve(out, host=host, port=port, allow_remote=allow_remote)

@main.group()
def autograder():
    """Build rnngrade as a hosted autograder (Gradescope, PrairieLearn) from an instructor release."""


@autograder.command("gradescope")
@click.option("--release", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The instructor release (RELEASE/instructor): spec, roster, secret.")
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The zip to upload on Gradescope's Configure Autograder page.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV mapping Gradescope's sid/email to roster ids (columns student, sid, email, login).")
def autograder_gradescope(release, out, roster):
    """Write Gradescope's autograder zip (setup.sh, run_autograder, rnngrade, the release)."""
    from grader.hosted.cli import gradescope_command

    for line in gradescope_command(release, out, roster):
        click.echo(line)


@autograder.command("prairielearn")
@click.option("--release", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The instructor release (RELEASE/instructor): spec, secret.")
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="A new folder: image/, serverFilesCourse/, questions/.")
@click.option("--image", help="The Docker image name info.json refers to (default: rnngrade-NAME-grader:VERSION).")
@click.option("--timeout", type=int, default=120, show_default=True, help="PrairieLearn's grading timeout, seconds.")
def autograder_prairielearn(release, out, image, timeout):
    """Write a PrairieLearn external grader: image definition, course files and the question."""
    from grader.hosted.cli import prairielearn_command

    for line in prairielearn_command(release, out, image, timeout):
        click.echo(line)


if __name__ == "__main__":  # pragma: no cover
    main()
