"""A loop that silences the sandbox's own alarm: only the grader's kill can stop it."""
import signal


def stubborn(x):
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    while True:
        pass


def after(x):
    return x + 1
