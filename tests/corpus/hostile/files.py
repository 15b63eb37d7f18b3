"""Reading and writing files outside the scratch folder."""
import os


def read_file(path):
    with open(path) as fh:
        return fh.read()


def write_file(path):
    with open(path, "w") as fh:
        fh.write("written by a submission")
    return os.path.exists(path)


def write_scratch(name):
    with open(name, "w") as fh:
        fh.write("scratch is fine")
    return os.getcwd(), open(name).read()
