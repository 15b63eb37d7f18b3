"""``rnngrade review OUT``: hand-grade free answers and review the class in a browser, several TAs at once.

A Flask app (``app.py``) served by waitress (``server.py``) over ``OUT/gradebook.sqlite``: TAs grade each
free item with shared rubric lines (``store.py``; points land in the gradebook's ``manual`` table, the
same rows ``rnngrade manual --import`` writes), grade groups of identical or near-identical answers at
once (``groups.py``), see answers rendered from Markdown and LaTeX on the server (``render.py``), and
every save rewrites the exports of the students it touched (``publish.py``). Access needs the printed
token; saves are version-checked SQLite transactions, so no TA overwrites another silently
(``security.py``, ``docs/review.md``).
"""
