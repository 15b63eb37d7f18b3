"""The batch's one symbolic checker, asked by forked workers: the same verdicts as asking the
checker in-process, one cache for all workers, one pipe per worker."""
import json
import multiprocessing
import sys
from types import SimpleNamespace

import pytest

from assignments.spec import load_spec
from grader.messages import render
from grader.symbolic.hub import SymbolicHub
from grader.symbolic.service import SymbolicGrader

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux")

ANSWERS = ["(dc + dh*o*(1 - tanh(c)**2))*f", "dc*f", "dc*f^2", ""]
DROP = ("seconds", "cached")  # how long it took, and whether this asker was first


def _worker(hub, item_id, answers, lang, out):
    client = hub.client()
    spec_item = hub.spec.item(item_id)
    out.send([client.grade(spec_item, a, lang) for a in answers])
    client.close()


def _comparable(d: dict) -> dict:
    return {k: v for k, v in json.loads(json.dumps(d)).items() if k not in DROP}


@pytest.fixture(scope="module")
def spec():
    return load_spec("nndl-ch6")


def test_forked_workers_get_the_in_process_verdicts_from_one_cache(spec):
    ctx = multiprocessing.get_context("fork")
    item = spec.item("answer_lstm_dc_prev")
    with SymbolicGrader(timeout=20.0) as direct:
        expected = [_comparable(direct.grade(item, a, lang, spec.resolve))
                    for lang in ("en", "zh") for a in ANSWERS]
    hub = SymbolicHub(spec, clients=2)
    pipes, procs = [], []
    for lang in ("en", "zh"):
        theirs, ours = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_worker, args=(hub, item.id, ANSWERS, lang, ours))
        p.start()
        pipes.append(theirs)
        procs.append(p)
    hub.start(SymbolicGrader(timeout=20.0))
    got = []
    for theirs, p in zip(pipes, procs):
        got += [_comparable(d) for d in theirs.recv()]
        p.join(timeout=60)
        assert p.exitcode == 0
    hub.close()  # returns: each serving thread saw its worker's end of file
    assert got == expected
    # two languages, one check per distinct parsable answer: the second worker was served from cache
    assert hub.grader.worker_requests == 2


def test_each_worker_takes_its_own_pipe_and_no_more_than_planned(spec):
    ctx = multiprocessing.get_context("fork")
    hub = SymbolicHub(spec, clients=1)
    first = ctx.Process(target=hub.client)
    first.start()
    first.join(timeout=30)
    theirs, ours = ctx.Pipe(duplex=False)

    def second(out):
        try:
            hub.client()
        except RuntimeError as exc:
            out.send(str(exc))

    p = ctx.Process(target=second, args=(ours,))
    p.start()
    assert theirs.recv() == "the symbolic hub was made for 1 worker(s); one more asked for a pipe"
    p.join(timeout=30)
    hub.close()


def test_a_checker_that_cannot_start_answers_every_worker_with_the_reason(spec, monkeypatch):
    """Workers wait for the hub's replies: when SymPy or a reference fails in the batch process,
    each answer gets an "error" verdict that says why, instead of a batch that hangs."""
    import grader.pipeline.batch
    from grader.pipeline.batch import _symbolic_checker

    def broken(spec):
        raise ImportError("No module named 'sympy'")

    monkeypatch.setattr(grader.pipeline.batch, "symbolic_grader", broken)
    checker = _symbolic_checker(spec)
    ctx = multiprocessing.get_context("fork")
    hub = SymbolicHub(spec, clients=1)
    theirs, ours = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_worker, args=(hub, "answer_lstm_dc_prev", ["dc*f"], "en", ours))
    p.start()
    hub.start(checker)
    (reply,) = theirs.recv()
    p.join(timeout=30)
    hub.close()
    assert reply["verdict"] == "error"
    assert render(reply["message"], "en") == ("The checker failed on this answer (the symbolic checker could not start "
                                "(ImportError: No module named 'sympy')); it is not your fault. Tell the course "
                                "staff; your answer will be checked by hand.")


def test_a_hub_that_does_not_answer_costs_the_answer_not_the_worker(spec):
    from grader.symbolic.hub import SymbolicClient

    ours, theirs = multiprocessing.Pipe(duplex=True)
    client = SymbolicClient(ours)
    client.REPLY_TIMEOUT = 0.2
    reply = client.grade(spec.item("answer_lstm_dc_prev"), "dc*f", "en")
    assert dict(reply, message=render(reply["message"], "en")) == {"verdict": "error", "answer": "dc*f", "message": (
        "The checker failed on this answer (the symbolic checker did not answer within 0.2 s); "
        "it is not your fault. Tell the course staff; your answer will be checked by hand.")}
    assert render(reply["message"], "zh") == ("检查程序处理此答案时出错（符号检查程序在 0.2 秒内没有应答），这不是你的问题。"
                                              "请告知助教，你的答案将由人工检查。")
    theirs.close()
    reply = client.grade(spec.item("answer_lstm_dc_prev"), "dc*f", "zh")
    assert reply["verdict"] == "error" and render(reply["message"], "zh").startswith("检查程序处理此答案时出错（符号检查程序没有应答：")


def _many_worker(hub, asked, lang, out):
    client = hub.client()
    items = {it.id: it for it in hub.spec.items}
    out.send(client.grade_many([(items.get(i, SimpleNamespace(id=i)), a) for i, a in asked], lang))
    client.close()


def test_a_students_answers_go_in_one_request_and_come_back_in_order(spec):
    ctx = multiprocessing.get_context("fork")
    asked = [("answer_lstm_dc_prev", ANSWERS[0]), ("answer_residual_dh", "1 + u"),
             ("answer_lstm_dc_prev", "dc*f^2"), ("no_such_item", "x")]
    with SymbolicGrader(timeout=20.0) as direct:
        expected = [_comparable(direct.grade(spec.item(i), a, "zh", spec.resolve)) for i, a in asked[:3]]
    hub = SymbolicHub(spec, clients=1)
    requests = []
    serve = hub._answer
    hub._answer = lambda one, lang: requests.append(one) or serve(one, lang)
    theirs, ours = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_many_worker, args=(hub, asked, "zh", ours))
    p.start()  # the worker forks before the hub starts (start closes the workers' ends here)
    hub.start(SymbolicGrader(timeout=20.0))
    assert theirs.poll(60)
    got = theirs.recv()
    p.join(timeout=60)
    hub.close()
    assert [_comparable(d) for d in got[:3]] == expected
    # an answer the hub cannot grade costs that answer only, with the reason
    assert got[3]["verdict"] == "error" and got[3]["answer"] == "x"
    assert "KeyError" in render(got[3]["message"], "en")
    assert [r["answer"] for r in requests] == [a for _, a in asked]
