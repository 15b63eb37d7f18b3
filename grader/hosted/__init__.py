"""rnngrade on hosted graders: Gradescope autograders and PrairieLearn external graders.

A host runs each submission in its own container; there, ``gradescope.main`` (the bundle's
``run_autograder``) or ``prairielearn.main`` (the image's entry point) finds the submitted file in the
host's layout, works out whose hidden cases to grade (Gradescope's ``submission_metadata.json``
through the release's roster, or PrairieLearn's variant), grades it with ``grader.pipeline.batch.grade_one`` —
the same sandbox, checks and redaction as a local batch, never a second grading path — and writes the
host's ``results.json`` (``results.py``). ``bundle.py`` builds what an instructor uploads: the
Gradescope zip (``setup.sh``, ``run_autograder``, an rnngrade wheel, pinned requirements, the
instructor release) and the PrairieLearn image definition, course files and question. The host's
root folder is ``RNNGRADE_HOST_ROOT`` (default ``/``), so tests run both entry points against a
simulated layout.
"""
