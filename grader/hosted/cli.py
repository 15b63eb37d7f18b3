"""What ``rnngrade autograder gradescope|prairielearn`` do and print (the click commands stay thin)."""
from __future__ import annotations

from pathlib import Path
from grader.hosted.bundle import build_gradescope, build_prairielearn


def gradescope_command(release: Path, out: Path, roster) -> list:
    info = build_gradescope(release, out, roster=roster)
    rel = info["release"]
    lines = [f"Gradescope autograder written to {info['out']} ({len(info['files'])} files, {info['wheel']}).",
             f"{rel.spec.name} version {rel.version}, language {rel.lang}; "
             + (f"{len(rel.roster)} students on the roster." if rel.roster is not None else
                "no roster: students are identified by their Gradescope SID, else their email."),
             "Upload it on the assignment's Configure Autograder page (Ubuntu 22.04 or 24.04 base image).",
             "It holds the course secret: keep the zip private."]
    return lines


def prairielearn_command(release: Path, out: Path, image, timeout: int) -> list:
    info = build_prairielearn(release, out, image=image, timeout=timeout)
    name = info["release"].spec.name
    o = info["out"]
    return [f"PrairieLearn external grader written to {o}.",
            f"1. Build and push the image:  docker build -t {info['image']} {o / 'image'} && docker push {info['image']}",
            f"2. Copy {o / 'serverFilesCourse' / 'rnngrade'} into your course's serverFilesCourse/ (it holds the "
            f"course secret: keep the course repository private).",
            f"3. Copy {o / 'questions' / name} into your course's questions/ and add it to an assessment."]
