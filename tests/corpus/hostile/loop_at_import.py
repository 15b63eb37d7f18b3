"""An endless loop at module level, between two definitions."""


def before(x):
    return x * 2


while True:
    pass


def after(x):
    return x * 3
