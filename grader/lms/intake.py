"""Turn an LMS download (a zip or a folder) into the entries a batch grades, and the plan shown first.

    download ──► (zip: archive.extract_zip into OUT/intake/download) ──► files
             ──► detect the LMS (or --from) ──► <lms>.parse ──► Attempts
             ──► roster.match ──► one student per LMS identity ──► choose attempt(s) ──► late.late_info
             ──► SubmissionEntry per graded attempt + IntakeRow per student (mapped, unmapped, missing)

The plan's rows go to the gradebook's ``intake`` table (see :mod:`grader.store.gradebook`); its lines are
printed before grading. ``--from folder`` (or a folder no LMS pattern matches) is the plain batch
folder of :func:`grader.loading.discover`.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from grader.core.errors import UserError
from grader.lms import blackboard, canvas, gradescope, moodle
from grader.lms.archive import Limits, extract_zip, is_junk, printable, refused_lines
from grader.lms.attempts import Attempt, FileRef
from grader.lms.late import NO_POLICY, LatePolicy, assume_zone, late_info
from grader.lms.roster import Roster
from grader.loading import SubmissionEntry, discover, unique_ids
from grader.loading.discover import NO_SUBMISSION_FOUND, choose_submission
from grader.messages import render
from msgcat import message

READERS = {m.NAME: m for m in (canvas, moodle, blackboard, gradescope)}
SOURCES = ("auto", *READERS, "folder")
ATTEMPT_MODES = ("latest", "best", "all")
INTAKE_DIR = "intake"


@dataclass
class IntakeOptions:
    source: str = "auto"  # --from
    attempt: str = "latest"
    deadline: Optional[datetime] = None
    policy: LatePolicy = NO_POLICY
    notebook_name: Optional[str] = None
    limits: Limits = field(default_factory=Limits)


@dataclass
class IntakeRow:
    """One row of the gradebook's intake table: a student of the download or of the roster."""

    student: str
    status: str  # "mapped" | "unmapped" | "missing" | "attempt" (an earlier attempt graded on its own row)
    info: dict = field(default_factory=dict)  # ids, matched_by, attempt, attempts, late, files


@dataclass
class IntakePlan:
    lms: str
    root: Path  # the folder the graded files are in
    entries: list = field(default_factory=list)  # SubmissionEntry, as discover returns
    rows: list = field(default_factory=list)
    ignored: list = field(default_factory=list)  # (name, reason): files that are no submission
    refused: list = field(default_factory=list)  # (name, reason): archive entries not extracted
    junk: int = 0
    attempt_mode: str = "latest"
    late: dict = field(default_factory=dict)  # {"deadline", "policy"}
    has_roster: bool = True

    def meta(self) -> dict:
        return {"lms": self.lms, "attempt": self.attempt_mode, **self.late,
                "ignored": [list(x) for x in self.ignored], "refused": [list(x) for x in self.refused],
                "junk": self.junk}

    def lines(self) -> list:
        """The mapping and everything not mapped, for a person to read before grading starts."""
        if self.lms == "folder":  # a plain batch folder: nothing was mapped, only what was refused is news
            return refused_lines(self.refused, self.junk)
        by = {s: [r for r in self.rows if r.status == s] for s in ("mapped", "unmapped", "missing", "attempt")}
        found = len(by["mapped"]) + len(by["unmapped"])
        if self.has_roster:
            who = (f"{len(by['mapped'])} matched to the roster, {len(by['unmapped'])} not matched, "
                   f"{len(by['missing'])} on the roster without a submission")
        else:
            who = "no roster: ids made from the LMS's names"
        mode = "every attempt" if self.attempt_mode == "all" else f"the {self.attempt_mode} attempt"
        out = [f"Intake: {self.lms} download, {found} student(s) found; {who}; grading {mode}."]
        for r in by["mapped"] + by["unmapped"]:
            i = r.info
            who = i.get("display", "")
            if not self.has_roster:
                how = "no roster"
            elif r.status == "mapped":
                how = f"matched by {i['matched_by']}"
            else:
                how = f"NOT MATCHED ({i.get('why', '')})"
            late = i.get("late") or {}
            extra = ""
            if late.get("late"):
                extra = f", late {late['units']} {late['unit']}(s), -{_pct(late['penalty'])}%"
            others = i.get("other_attempts") or []
            if others:
                extra += f"; other attempts: {', '.join(others)}"
            out.append(f"  {r.student:<16} <- {who} [{how}] attempt {i.get('attempt', 1)}{extra}")
        for r in by["missing"]:
            out.append(f"  {r.student:<16} <- (no submission in the download)")
        for r in by["attempt"]:
            out.append(f"  {r.student:<16} <- {r.info.get('display', '')}: attempt {r.info.get('attempt')} graded on its own row")
        for name, reason in self.ignored:
            out.append(f"  ignored {name}: {reason}")
        return [printable(line) for line in out] + refused_lines(self.refused, self.junk)


def _pct(fraction: float) -> str:
    text = f"{100 * fraction:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def list_folder(root: Path) -> tuple:
    """``(refs, ignored, junk)`` of a download that is already a folder (links are not followed)."""
    refs, ignored, junk = [], [], 0
    for dirpath, dirs, names in os.walk(root, followlinks=False):
        rel_dir = Path(dirpath).relative_to(root)
        for d in list(dirs):
            if os.path.islink(os.path.join(dirpath, d)):
                ignored.append(((rel_dir / d).as_posix(), "a symbolic link; links are not followed"))
                dirs.remove(d)
        dirs.sort()
        for name in sorted(names):
            path = Path(dirpath) / name
            rel = (rel_dir / name).as_posix()
            if is_junk(rel.split("/")):
                junk += 1
            elif path.is_symlink():
                ignored.append((rel, "a symbolic link; links are not followed"))
            elif path.is_file():
                refs.append(FileRef(rel, path, datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)))
    return refs, ignored, junk


def unwrap(root: Path, refs: list) -> tuple:
    """A download zipped again inside one folder (``submissions/...``) is read from inside it; a Moodle
    submission folder is a student's, not a wrapper."""
    while refs and all(len(r.parts) > 1 for r in refs) and len({r.parts[0] for r in refs}) == 1 \
            and not moodle.matches(refs[0]):
        inner = [FileRef("/".join(r.parts[1:]), r.path, r.time) for r in refs]
        # one student's folder alone is a class of one, not a wrapper
        if detect(inner) == "folder" and len({r.parts[0] for r in inner}) < 2:
            break
        root, refs = root / refs[0].parts[0], inner
    return root, refs


def detect(refs: list) -> str:
    """The LMS whose naming most of the download follows ("folder" when none does)."""
    if any(gradescope.matches(r) for r in refs):
        return gradescope.NAME
    counts = {name: sum(1 for r in refs if m.matches(r)) for name, m in READERS.items() if m is not gradescope}
    best = max(counts, key=lambda k: counts[k])
    if refs and counts[best] * 2 >= len(refs) and counts[best] > 0:
        return best
    return "folder"


def open_download(download: Path, out: Path, options: IntakeOptions) -> tuple:
    """``(root, refs, refused, junk)``: a zip is extracted under ``OUT/intake/download`` (replacing an
    earlier extraction); a folder is read where it is."""
    download = Path(download)
    if download.is_dir():
        refs, ignored, junk = list_folder(download)
        return download.resolve(), refs, ignored, junk
    if not download.is_file():
        raise UserError(f"{download} does not exist; give the zip or the folder downloaded from the LMS.")
    if download.suffix.lower() != ".zip":
        raise UserError(f"{download.name} is not a .zip file or a folder; give the zip downloaded from the "
                        "LMS as it is, or a folder of submissions.")
    out = Path(out)
    target = out / INTAKE_DIR / "download"
    for p in (out / INTAKE_DIR, target):
        if p.is_symlink():  # a link here would send the extraction (and the clean-up) elsewhere
            raise UserError(f"{p} is a symbolic link; remove it and run again.")
    if not target.resolve().is_relative_to(out.resolve()):
        raise UserError(f"{target} is not inside {out}; remove what redirects it and run again.")
    if target.exists():
        shutil.rmtree(target)
    extracted = extract_zip(download, target, options.limits)
    refs = [FileRef(rel, path, time) for rel, path, time in extracted.files]
    return extracted.root, refs, list(extracted.refused), extracted.junk


def prepare_intake(download: Path, out: Path, roster: Optional[Roster], options: IntakeOptions) -> IntakePlan:
    """Read the download and decide what is graded as whom (see the module doc). Raises UserError for
    a download that cannot be used at all."""
    if options.source not in SOURCES:
        raise UserError(f"--from {options.source!r}: choose one of {', '.join(SOURCES)}.")
    if options.attempt not in ATTEMPT_MODES:
        raise UserError(f"--attempt {options.attempt!r}: choose one of {', '.join(ATTEMPT_MODES)}.")
    root, refs, refused, junk = open_download(download, out, options)
    root, refs = unwrap(root, refs)
    lms = detect(refs) if options.source == "auto" else options.source
    late_meta = {"deadline": options.deadline.isoformat() if options.deadline else None,
                 "policy": options.policy.text}
    if lms == "folder":
        entries = discover(root, roster.students if roster else None, options.notebook_name)
        return IntakePlan("folder", root, entries, [], [], refused, junk, options.attempt, late_meta)
    if options.policy.kind != "none" and options.deadline is None and lms != canvas.NAME:
        raise UserError(f"--late-policy {options.policy.text!r} needs --deadline: a {lms} download gives "
                        "submission times, not late marks.")
    parsed = READERS[lms].parse(root, refs)
    if not parsed.attempts:
        raise UserError(f"no {lms} submission found in {Path(download).name}; check --from (or leave it out "
                        "to detect the LMS) and that this is the download of the whole class.")
    plan = IntakePlan(lms, root, [], [], list(parsed.ignored), refused, junk, options.attempt, late_meta,
                      has_roster=roster is not None)
    _assign_students(plan, parsed.attempts, roster, options)
    return plan


def _display(a: Attempt) -> str:
    ids = a.ids
    name = ids.get("name") or ids.get("sortable_name") or ""
    tag = {"canvas": "user", "moodle": "participant", "blackboard": "username"}.get(a.lms, "id")
    return f"{name} ({tag} {a.key})" if name and name != a.key else f"{tag} {a.key}"


def _assign_students(plan: IntakePlan, attempts: list, roster: Optional[Roster], options: IntakeOptions) -> None:
    by_key: dict = {}
    for a in attempts:
        by_key.setdefault(a.key, []).append(a)
    for group in by_key.values():
        group.sort(key=lambda a: a.number)
    # who is who: roster matches first, then ids made from the LMS names for the rest
    matched: dict = {}  # key -> (student, how)
    unmatched: dict = {}  # key -> why
    taken: dict = {}  # student -> key
    for key in sorted(by_key):
        latest = by_key[key][-1]
        if roster is None:
            unmatched[key] = None
            continue
        entry, how = roster.match(latest.ids)
        if entry is None:
            unmatched[key] = how
        elif entry.student in taken:  # two LMS accounts for one roster row: the first keeps it
            unmatched[key] = message("lms.why.row_taken", row=entry.row, student=entry.student,
                                     other=_display(by_key[taken[entry.student]][-1]))
        else:
            matched[key] = (entry.student, how)
            taken[entry.student] = key
    # ids for the rest, made from their LMS names: two students of one name are told apart by their
    # LMS key, and a made id never takes a roster id (or one already given)
    raws = {key: _raw_id(by_key[key][-1]) for key in unmatched}
    counts: dict = {}
    for raw in raws.values():
        counts[raw] = counts.get(raw, 0) + 1
    raws = {key: raw if counts[raw] == 1 else f"{raw}_{key}" for key, raw in raws.items()}
    made = unique_ids(list(raws.values()))
    reserved = {s.casefold() for s in (roster.students if roster else [])} | {s.casefold() for s in taken}
    for key in sorted(unmatched):
        student, k = made[raws[key]], 2
        while student.casefold() in reserved:
            student = f"{made[raws[key]]}-{k}"
            k += 1
        reserved.add(student.casefold())
        taken[student] = key
        matched[key] = (student, None)
    for key in sorted(by_key, key=lambda k: matched[k][0]):
        student, how = matched[key]
        group = by_key[key]
        status = "mapped" if how else ("unmapped" if roster is not None else "mapped")
        entry = roster.by_student(student) if roster is not None and how else None
        _add_student(plan, student, status, how or ("lms name" if roster is None else None), unmatched.get(key),
                     group, options, entry.fields if entry else {})
    for entry in (roster.entries if roster else []):
        if entry.student not in taken:
            plan.entries.append(SubmissionEntry(entry.student, None, [NO_SUBMISSION_FOUND], entry.student))
            plan.rows.append(IntakeRow(entry.student, "missing", {"roster_row": entry.row,
                                                                  "roster": dict(entry.fields)}))
    plan.entries.sort(key=lambda e: e.student)


def _raw_id(a: Attempt) -> str:
    ids = a.ids
    return ids.get("login") or ids.get("sid") or ids.get("sortable_name") or ids.get("name") or \
        (ids.get("email") or "").split("@")[0] or a.key


def _add_student(plan: IntakePlan, student: str, status: str, how, why, group: list, options: IntakeOptions,
                 roster_fields: dict) -> None:
    latest = group[-1]
    graded = group if options.attempt in ("best", "all") else [latest]
    for a in graded:
        sid = student if a is latest else f"{student}.attempt-{a.number}"
        entry, late = entry_for_attempt(a, sid, plan.root, options)
        if status == "unmapped" and a is latest:
            entry.notes.append(message("note.lms_unmatched", why=why, student=student))
        plan.entries.append(entry)
        submitted = assume_zone(a.submitted_at, options.deadline)
        info = {"lms": a.lms, "key": a.key, "ids": dict(a.ids), "display": _display(a), "attempt": a.number,
                "attempts": len(group), "files": [_rel(plan.root, f) for f in a.files],
                "submitted_at": submitted.isoformat() if submitted else None, "late": late,
                "other_attempts": [o.label for o in group if o is not a]}
        if a is latest:
            # the plan and its files are for the course staff, in English (as the CLI's other lines)
            info.update(matched_by=how, why=render(why, "en") if why else why, roster=dict(roster_fields))
            plan.rows.append(IntakeRow(student, status, info))
        else:
            info.update(student=student)
            plan.rows.append(IntakeRow(sid, "attempt", info))


def entry_for_attempt(a: Attempt, student: str, root: Path, options: IntakeOptions) -> tuple:
    """``(SubmissionEntry, late)`` for one attempt: the file to grade among its files (a notebook
    before a .py, the assignment's notebook name, then the newest), its notes, and its lateness
    (:func:`grader.lms.late.late_info`). A download calls it per graded attempt; a hosted grader calls
    it for its one submission (see :func:`attempt_for_single`)."""
    submitted = assume_zone(a.submitted_at, options.deadline)
    late = late_info(submitted, a.marked_late, options.deadline, options.policy)
    path, choice_notes = choose_submission(root, list(a.files), options.notebook_name) if a.files \
        else (None, [message("note.lms_no_files")])
    notes = list(a.notes) + choice_notes
    if late.get("late"):
        notes.append(_late_note(late))
    return SubmissionEntry(student, path, notes, a.key), late


def _late_note(late: dict) -> dict:
    """The lateness as a note (a message; ``late["unit"]`` is "day" or "hour", one key each)."""
    policy, pct = repr(late["policy"]), _pct(late["penalty"])
    if late.get("basis") == "marker":
        return message(f"note.lms_late_marker_{late['unit']}", policy=policy, pct=pct)
    return message(f"note.lms_late_{late['unit']}", units=late["units"], policy=policy, pct=pct)


def _rel(root: Path, path: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return Path(path).name


def attempt_for_single(lms: str, key: str, files: list, ids: dict, submitted_at=None) -> Attempt:
    """The record a hosted grader builds for its one submission (same shape as a download's)."""
    return Attempt(lms, key, list(files), ids=dict(ids), submitted_at=submitted_at)
