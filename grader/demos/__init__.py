"""`rnngrade demo`: the whole pipeline on built-in samples, one module per demonstrated course.
"""
