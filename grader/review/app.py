"""The Flask app of ``rnngrade review``: the pages and the saves (security in ``security.py``).

A request opens its own connection to the gradebook (``ReviewStore``; SQLite connections are not
shared between the server's threads); every save is one transaction there, then the exports of the
students it touched are written again (``publish``).
"""
from __future__ import annotations

import base64
import binascii
from pathlib import Path

from flask import Flask, abort, g, redirect, render_template, request, send_file, session, url_for
from werkzeug.security import safe_join

from grader.store.gradebook import Gradebook
from grader.reports.media import _MAGIC, MAX_IMAGE_BYTES
from grader.reports.svg import histogram_bins, histogram_svg
from grader.outputs.rerender import load_spec_for
from grader.review import security
from grader.review.answers import ClassAnswers, opaque_id
from grader.review.forms import back as _back, fmt, parse_points as _points
from grader.review.i18n import LANGS, Texts
from grader.review.publish import publish
from grader.review.render import render_answer
from grader.review.store import ReviewStore, SaveResult


def create_app(out: Path, token: str, host: str = "127.0.0.1") -> Flask:
    out = Path(out).resolve()
    db = out / "gradebook.sqlite"
    with Gradebook(db) as gb:  # migrates the manual table in place
        meta = gb.meta()
    spec = load_spec_for(meta)
    setup = ReviewStore(db)  # creates the review's tables
    setup.seed_rubrics(spec)
    setup.close()
    free = [it.id for it in spec.items_of("free")]
    answers = ClassAnswers(free)
    default_lang = meta.get("lang") if meta.get("lang") in LANGS else "en"

    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config["REVIEW_OUT"] = out
    app.config["MAX_CONTENT_LENGTH"] = 1 << 20  # as the server's cap (server.MAX_BODY_BYTES)
    security.install(app, token, host)

    # -- per request ------------------------------------------------------------------------
    @app.before_request
    def open_store():
        g.store = ReviewStore(db, create=False)
        answers.refresh(g.store)
        g.t = Texts(session.get("lang", default_lang))

    @app.teardown_request
    def close_store(_exc):
        store = g.pop("store", None)
        if store is not None:
            store.close()

    @app.context_processor
    def helpers():
        return {"t": g.get("t") or Texts(default_lang), "csrf": session.get("csrf", ""), "label": label,
                "show_names": session.get("names", False), "lang": (g.get("t") or Texts(default_lang)).lang,
                "title_of": title_of, "fmt": fmt, "opaque_id": opaque_id}

    def label(student: str) -> str:
        if session.get("names"):
            return student
        return g.t("anon.label", n=answers.number.get(student, 0))

    def title_of(item: str) -> str:
        it = spec.item(item)
        return it.title.get(g.t.lang) or next(iter(it.title.values()), item)

    def student_of(sid: str) -> str:
        student = answers.by_id.get(sid)
        if student is None:
            abort(404)
        return student

    def free_item(item: str):
        if item not in free:
            abort(404)
        return spec.item(item)

    # -- overview ---------------------------------------------------------------------------
    @app.get("/")
    def overview():
        marks = g.store.marks()
        refused = g.store.refused()
        rows = []
        for item in free:
            of_item = answers.of_item(item)
            graded = sum(1 for s in of_item if marks.get((s, item)) and marks[s, item].graded)
            conflicts = sum(1 for s in of_item if (s, item) in refused)
            rows.append({"item": item, "total": len(of_item), "graded": graded,
                         "left": len(of_item) - graded, "conflicts": conflicts})
        with Gradebook(db) as gb:
            results = gb.results(light=True)
        graded_results = [r for r in results if r.status == "graded" and r.max_score > 0]
        hist = histogram_svg(histogram_bins([100.0 * r.score / r.max_score for r in graded_results]),
                             title=g.t("overview.distribution"), x_label=g.t("overview.x"),
                             y_label=g.t("overview.y"))
        students = sorted(results, key=lambda r: answers.number.get(r.student, 0))
        return render_template("overview.html", rows=rows, hist=hist, students=students,
                               done=request.args.get("done"))

    @app.post("/names")
    def toggle_names():
        session["names"] = not session.get("names", False)
        return redirect(_back())

    @app.post("/lang")
    def set_lang():
        lang = request.form.get("lang", "")
        if lang in LANGS:
            session["lang"] = lang
        return redirect(_back())

    # -- one item ---------------------------------------------------------------------------
    def item_groups(item: str):
        groups = answers.groups(item, g.store.threshold(item), g.store.split(item))
        for group in groups:  # members in anonymous order: a list must not sort the class by name
            group.students.sort(key=lambda s: answers.number.get(s, 0))
        return groups

    def group_of(item: str, student: str):
        return next(gr for gr in item_groups(item) if student in gr.students)

    @app.get("/item/<item>")
    def item_page(item):
        it = free_item(item)
        marks = g.store.marks(item)
        return render_template("item.html", item=item, spec_item=it, groups=item_groups(item), marks=marks,
                               rubric=g.store.rubric(item), threshold=g.store.threshold(item),
                               refused=g.store.refused(item))

    def next_ungraded(item: str, after: str | None = None) -> str | None:
        """The next answer without points in grading order (after ``after``, wrapping around)."""
        order = answers.order(item)
        marks = g.store.marks(item)
        if after in order:
            k = order.index(after) + 1
            order = order[k:] + order[:k]
        return next((s for s in order if not (marks.get((s, item)) and marks[s, item].graded)), None)

    @app.get("/next/<item>")
    def next_of_item(item):
        free_item(item)
        student = next_ungraded(item, _student_arg())
        if student is None:
            return redirect(url_for("item_page", item=item))
        return redirect(url_for("grade_page", item=item, sid=opaque_id(student)))

    @app.get("/next")
    def next_anywhere():
        start = request.args.get("item")
        items = free[free.index(start):] + free[:free.index(start)] if start in free else free
        for item in items:
            student = next_ungraded(item)
            if student is not None:
                return redirect(url_for("grade_page", item=item, sid=opaque_id(student)))
        return redirect(url_for("overview", done=1))

    def _student_arg():
        sid = request.args.get("after")
        return answers.by_id.get(sid) if sid else None

    # -- grading one answer -----------------------------------------------------------------
    @app.get("/grade/<item>/<sid>")
    def grade_page(item, sid):
        return render_grade(item, student_of(sid), None, None)

    def render_grade(item: str, student: str, result: SaveResult | None, typed: dict | None, status=200):
        it = free_item(item)
        answer = answers.answer(student, item)
        if answer is None:
            abort(404)
        group = group_of(item, student)
        marks = g.store.marks(item)
        order = answers.order(item)
        k = order.index(student)
        mark = marks.get((student, item)) or g.store.mark(student, item)
        sid = opaque_id(student)

        def image_url(name: str):
            n = next((i for i, a in enumerate(answer.attachments) if a.get("name") == name), None)
            return None if n is None else url_for("image", item=item, sid=sid, n=n)

        html = render_answer(answer.text, image_url)
        referenced = {a.get("name") for a in answer.attachments if f"attachment:{a.get('name')}" in answer.text}
        extra_images = [url_for("image", item=item, sid=sid, n=n) for n, a in enumerate(answer.attachments)
                        if a.get("name") not in referenced]
        others = []
        if not group.identical:  # near-identical answers: show each different one
            seen = {answer.normalised}
            for s in group.students:
                a = answers.answer(s, item)
                if a is not None and a.normalised not in seen:
                    seen.add(a.normalised)
                    others.append((s, render_answer(a.text, lambda _n: None)))
        versions = {s: (marks.get((s, item)).version if marks.get((s, item)) else 0) for s in group.students}
        graded = sum(1 for s in order if marks.get((s, item)) and marks[s, item].graded)
        form = typed or {"lines": mark.lines, "free_points": mark.free_points, "comment": mark.comment,
                         "note": mark.note, "scope": "group"}
        return render_template(
            "grade.html", item=item, spec_item=it, student=student, sid=sid, answer=answer, html=html,
            extra_images=extra_images, group=group, others=others, marks=marks, mark=mark,
            rubric=g.store.rubric(item), versions=versions, form=form, result=result,
            prev_sid=opaque_id(order[k - 1]) if k > 0 else None,
            next_sid=opaque_id(order[k + 1]) if k + 1 < len(order) else None,
            position=k + 1, total=len(order), graded=graded,
            refused=g.store.refused(item).get((student, item), [])), status

    @app.post("/grade/<item>/<sid>")
    def save_grade(item, sid):
        it = free_item(item)
        student = student_of(sid)
        # the answers saved are the ones the page showed (with the versions it showed), even if the
        # group changed since: another TA may have split it
        shown = {}
        for key, raw in request.form.items():
            if key.startswith("v_"):
                other = answers.by_id.get(key[2:])
                if other is None or not raw.isdecimal() or answers.answer(other, item) is None:
                    abort(400)
                shown[other] = int(raw)
        if student not in shown:
            abort(400)
        scope = request.form.get("scope", "group")
        expected = shown if scope == "group" else {student: shown[student]}
        try:
            lines = [int(x) for x in request.form.getlist("line")]
        except ValueError:
            abort(400)
        free_points, problem = _points(request.form.get("free_points", ""), -float(it.points), float(it.points))
        typed = {"lines": lines, "free_points": free_points, "comment": request.form.get("comment", "").strip(),
                 "note": request.form.get("note", "").strip(), "scope": scope}
        if problem:
            return render_grade(item, student, None, typed | {"problem": problem}, status=422)
        try:
            result = g.store.save(item, expected, lines=lines, free_points=free_points, comment=typed["comment"],
                                  note=typed["note"], grader=session.get("grader", ""), max_points=float(it.points))
        except ValueError:
            abort(400)
        if not result.ok:
            return render_grade(item, student, result, typed, status=409)
        publish(out, result.saved)
        nxt = next_ungraded(item, student)
        if nxt is None:
            return redirect(url_for("next_anywhere", item=item))
        return redirect(url_for("grade_page", item=item, sid=opaque_id(nxt)))

    # -- rubric and groups ------------------------------------------------------------------
    @app.post("/rubric/<item>/<int:line_id>")
    def edit_line(item, line_id):
        it = free_item(item)
        if line_id not in {line.id for line in g.store.rubric(item)}:
            abort(404)
        points, problem = _points(request.form.get("points", ""), -float(it.points), float(it.points))
        if problem or points is None:
            abort(422)
        touched = g.store.edit_line(line_id, points, float(it.points), text=request.form.get("text"),
                                    lang=g.t.lang)
        publish(out, touched)
        return redirect(_back())

    @app.post("/rubric/<item>")
    def add_line(item):
        it = free_item(item)
        points, problem = _points(request.form.get("points", ""), -float(it.points), float(it.points))
        text = request.form.get("text", "").strip()
        if problem or points is None or not text:
            abort(422)
        g.store.add_line(item, points, text, g.t.lang)
        return redirect(_back())

    @app.post("/threshold/<item>")
    def set_threshold(item):
        free_item(item)
        try:
            value = float(request.form.get("threshold", ""))
        except ValueError:
            abort(422)
        if not 0.0 < value <= 1.0:
            abort(422)
        g.store.set_threshold(item, value)
        return redirect(_back())

    @app.post("/split/<item>")
    def split(item):
        free_item(item)
        students = [student_of(sid) for sid in request.form.getlist("sid")]
        if request.form.get("rejoin"):
            g.store.rejoin(item, students)
        else:
            g.store.split_out(item, students)
        return redirect(_back())

    # -- one student: overrides of any item -------------------------------------------------
    @app.get("/student/<sid>")
    def student_page(sid):
        student = student_of(sid)
        with Gradebook(db) as gb:
            result = gb.get(student)
        if result is None:
            abort(404)
        marks = {k[1]: m for k, m in g.store.marks().items() if k[0] == student}
        return render_template("student.html", student=student, sid=sid, result=result, marks=marks,
                               spec=spec, refused=g.store.refused(), has_report=_report_path(student).exists())

    @app.post("/override/<sid>/<item>")
    def override(sid, item):
        student = student_of(sid)
        try:
            it = spec.item(item)
        except KeyError:
            abort(404)
        raw_version = request.form.get("version", "")
        if not raw_version.isdecimal():  # "²".isdigit() is True, int("²") raises
            abort(400)
        points, problem = _points(request.form.get("points", ""), 0.0, float(it.points))
        if problem:
            abort(422)
        result = g.store.override(student, item, int(raw_version), points=points,
                                  comment=request.form.get("comment", "").strip(),
                                  note=request.form.get("note", "").strip(), grader=session.get("grader", ""))
        if result.ok:
            publish(out, [student])
        return redirect(url_for("student_page", sid=sid, refused=None if result.ok else item))

    # -- files from OUT ---------------------------------------------------------------------
    def _report_path(student: str) -> Path:
        joined = safe_join(str(out), "students", student, "report.html")
        if joined is None:
            abort(404)
        path = Path(joined).resolve()
        if out not in path.parents:
            abort(404)
        return path

    @app.get("/report/<sid>")
    def report(sid):
        path = _report_path(student_of(sid))
        if not path.is_file():
            abort(404)
        response = send_file(path, mimetype="text/html", max_age=0)
        response.headers["Content-Security-Policy"] = security.REPORT_CSP
        return response

    @app.get("/img/<item>/<sid>/<int:n>")
    def image(item, sid, n):
        answer = answers.answer(student_of(sid), free_item(item).id)
        if answer is None or n >= len(answer.attachments):
            abort(404)
        att = answer.attachments[n]
        try:
            raw = base64.b64decode(str(att.get("data_b64", "")).replace("\n", ""), validate=True)
        except (binascii.Error, ValueError):
            abort(404)
        # the type is the one the bytes are, never the one the notebook claims
        mime = next((m for m, is_it in _MAGIC.items() if is_it(raw)), None)
        if mime is None or len(raw) > MAX_IMAGE_BYTES:
            abort(404)
        response = app.response_class(raw, mimetype=mime)
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    @app.get("/favicon.ico")
    def favicon():  # browsers ask for it; the app has none
        return app.response_class(status=204)

    @app.errorhandler(403)
    def forbidden(_e):
        t = Texts(default_lang)
        return app.response_class(t("error.forbidden"), status=403, mimetype="text/plain")

    @app.errorhandler(400)
    @app.errorhandler(404)
    @app.errorhandler(422)
    def refused(e):
        t = g.get("t") or Texts(session.get("lang", default_lang))
        return app.response_class(t(f"error.{e.code}"), status=e.code, mimetype="text/plain")

    return app

