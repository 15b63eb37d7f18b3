"""One symbolic checker for a whole batch: forked grading workers ask the batch process.

Each grading worker would otherwise start its own SymPy process (half a second of CPU and 70 MiB)
and keep its own verdict cache, so a class's common answers would be checked once per worker. The
batch process instead keeps one :class:`SymbolicGrader` (references derived once, one checking
process, one cache) and serves the workers over pipes made before they fork (so SymPy is loaded
after the fork, in the batch process only, while the workers start): a worker takes one
pipe with :meth:`SymbolicHub.client` and calls ``client.grade(item, answer, lang)`` exactly as it
would call the grader itself.

Requests and replies are JSON (``{"many": [{"item", "answer"}, ...], "lang"}`` → the list of
verdict dicts: a student's answers in one round trip): nothing is pickled, and the answer string
stays a string the hub parses, never evaluates.

    hub = SymbolicHub(spec, clients=2)                       # before the workers fork
    ... in each worker:  ctx.symbolic = hub.client()
    hub.start(SymbolicGrader())                              # in the batch process, once forked
    ...
    hub.close()
"""
from __future__ import annotations

import json
import multiprocessing
import threading

from grader.symbolic.messages import verdict  # no SymPy: the workers import this module
from msgcat import message


class SymbolicClient:
    """What a worker holds instead of a SymbolicGrader: the same ``grade``, answered by the hub."""

    # Longer than the checker's own limits (a fresh SymPy process may take a minute to start on a
    # loaded machine, then 5 s per answer): a hub that does not answer by then never will.
    REPLY_TIMEOUT = 180.0

    def __init__(self, conn):
        self._conn = conn
        self._lock = threading.Lock()

    def grade(self, item, answer: str, lang: str = "en", resolve=None) -> dict:
        return self.grade_many([(item, answer)], lang)[0]

    def grade_many(self, asked: list, lang: str = "en", resolve=None) -> list:
        """``[grade(item, answer, lang) for item, answer in asked]`` in one round trip to the hub
        (a student's answers together: one wake-up of the hub and of this worker, not four)."""
        answers = [answer if isinstance(answer, str) else "" for _, answer in asked]
        request = json.dumps({"many": [{"item": item.id, "answer": answer}
                                       for (item, _), answer in zip(asked, answers)], "lang": lang})
        with self._lock:
            try:
                self._conn.send_bytes(request.encode())
                if self._conn.poll(self.REPLY_TIMEOUT):
                    replies = json.loads(self._conn.recv_bytes())
                    if isinstance(replies, list) and len(replies) == len(asked):
                        return replies
                    reason = message("reason.bad_reply")
                else:
                    reason = message("reason.no_reply_within", seconds=f"{self.REPLY_TIMEOUT:g}")
            except (EOFError, OSError, ValueError) as exc:
                reason = message("reason.no_reply", detail=f"{type(exc).__name__}: {exc}")
        # a message of the symbolic catalogue's verdict.error, said in the reader's language where shown
        return [{"verdict": "error", "answer": answer, "message": verdict("error", reason=reason)} for answer in answers]

    def close(self) -> None:
        self._conn.close()


class CheckerUnavailable(RuntimeError):
    """The batch has no symbolic checker; the text says why."""


class UnavailableChecker:
    """Stands in for the SymbolicGrader when it could not be made (SymPy missing, a reference that
    fails to derive): every answer gets an "error" verdict saying why, and no worker waits."""

    def __init__(self, detail: str):
        self.reason = message("reason.could_not_start", detail=detail)  # said in each answer's language

    def grade(self, item, answer, lang="en", resolve=None) -> dict:
        raise CheckerUnavailable(self.reason)

    def close(self) -> None:
        pass


class SymbolicHub:
    """Serve one SymbolicGrader to ``clients`` forked workers (see the module docstring)."""

    def __init__(self, spec, clients: int):
        self.grader, self.spec = None, spec
        self._pipes = [multiprocessing.Pipe(duplex=True) for _ in range(max(1, clients))]
        self._next = multiprocessing.Value("i", 0)
        self._threads: list = []

    def client(self) -> SymbolicClient:
        """In a forked worker: take the next free pipe (each worker gets its own)."""
        with self._next.get_lock():
            k = self._next.value
            self._next.value += 1
        if k >= len(self._pipes):
            raise RuntimeError(f"the symbolic hub was made for {len(self._pipes)} worker(s); "
                               f"one more asked for a pipe")
        for j, (hub_end, worker_end) in enumerate(self._pipes):
            hub_end.close()  # the hub's ends belong to the batch process
            if j != k:
                worker_end.close()
        return SymbolicClient(self._pipes[k][1])

    def start(self, grader) -> None:
        """In the batch process, after the workers forked: serve ``grader`` (a SymbolicGrader),
        one thread per worker. Requests sent before this wait in their pipes."""
        self.grader = grader
        for hub_end, worker_end in self._pipes:
            worker_end.close()  # so that a worker's exit reads as end of file here
            t = threading.Thread(target=self._serve, args=(hub_end,), daemon=True,
                                 name="rnngrade-symbolic-hub")
            t.start()
            self._threads.append(t)

    def _serve(self, conn) -> None:
        while True:
            try:
                data = conn.recv_bytes()
            except (EOFError, OSError):
                return  # the worker is gone
            request: dict = {}
            try:
                request = json.loads(data)
                asked = request["many"]
            except Exception:  # noqa: BLE001 - not a request a client makes: nothing to answer
                asked = []
            reply = [self._answer(one, request.get("lang")) for one in asked]
            try:
                conn.send_bytes(json.dumps(reply).encode())
            except (OSError, ValueError):
                return

    def _answer(self, asked, lang) -> dict:
        """The verdict of one ``{"item", "answer"}`` of a request; a grader bug costs this answer,
        not the batch."""
        try:
            item = self.spec.item(asked["item"])
            return self.grader.grade(item, asked["answer"], lang, self.spec.resolve)
        except Exception as exc:  # noqa: BLE001
            text = (exc.args[0] if isinstance(exc, CheckerUnavailable)
                    else message("reason.failed", detail=f"{type(exc).__name__}: {exc}"))
            answer = asked.get("answer", "") if isinstance(asked, dict) else ""
            return {"verdict": "error", "answer": answer, "message": verdict("error", reason=text)}

    def close(self) -> None:
        """After the workers exited (their ends closed, so each serving thread has returned)."""
        for t in self._threads:
            t.join(timeout=5)
        for hub_end, _ in self._pipes:
            hub_end.close()
        if self.grader is not None:
            self.grader.close()
