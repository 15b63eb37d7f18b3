"""From the LMS and back: read a class's bulk download as the LMS gives it, and write grades in the
LMS's own import format.

An instructor hands ``rnngrade grade`` the zip (or the folder) that Canvas, Moodle, Blackboard or
Gradescope's "Export submissions" produced. :mod:`grader.lms.archive` extracts a zip under the batch's
own folder (``OUT/intake/``), refusing every entry that could write elsewhere or exhaust the disk; one
module per LMS (``canvas``, ``moodle``, ``blackboard``, ``gradescope``, ``folder``) knows how that
LMS names its files and turns them into :class:`~grader.lms.attempts.Attempt` records (who, which
attempt, when, late or not); :mod:`grader.lms.roster` maps each to a roster id, :mod:`grader.lms.late`
applies the course's late policy, and :mod:`grader.lms.intake` puts it together into the entries a
batch grades, the plan printed before grading and the rows kept in the gradebook. On the way back,
:mod:`grader.lms.export` writes the file each LMS imports (its writers live beside its reader) from the
gradebook, with late penalties and manual overrides applied. A single submission (a hosted grader's)
goes through the same :func:`grader.lms.intake.attempt_for_single` record.
"""
