"""The batch pipeline: discover and fan out (batch), the run's options and context (context), a
grading process per core (workers), one submission from file to result (grading), its cases and calls
(plan), the checks of what came back (evaluate, cachecheck); a folder graded for tests and
benchmarks (folder_results); which cases can tell each known mistake from the truth (discrimination).
"""
