"""pytest hooks of the local checks: a per-item summary and what the local checks do not cover."""
import rnngrade_local as kit


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    index = kit.load_index()
    lang = index.get("lang", "en")
    write = terminalreporter.write_line
    reports = kit.SESSION["reports"]
    if reports:
        terminalreporter.section("rnngrade: " + index["assignment"])
        if kit.SESSION.get("notebook"):
            write(kit.SESSION["notebook"])
        for message in kit.SESSION["warnings"]:
            write("! " + message)
        for report in reports:
            write(report.headline(lang))
    write(kit.closing_line(index))
