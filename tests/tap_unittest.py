"""tap_unittest.py: runs a Python unittest suite and reports it as TAP.

automake's TAP driver reads the plan ("1..N") and one "ok"/"not ok" line
per test; failures and errors come with their traceback as "#" comments,
skipped tests as "ok N - name # SKIP reason". Shared by every Python test
of the tree: `tap_unittest.main()` at the bottom of a test module.
"""
import sys
import unittest


class TapResult(unittest.TestResult):
    def __init__(self, stream):
        super().__init__()
        self.stream = stream
        self.number = 0

    def _line(self, text):
        self.stream.write(text + "\n")
        self.stream.flush()

    def _comment(self, text):
        for line in text.rstrip("\n").splitlines():
            self._line("# " + line)

    @staticmethod
    def _name(test):
        return test.id().split(".", 1)[-1]

    def addSuccess(self, test):
        super().addSuccess(test)
        self.number += 1
        self._line("ok %d - %s" % (self.number, self._name(test)))

    def _failed(self, test, err, kind):
        self.number += 1
        self._line("not ok %d - %s" % (self.number, self._name(test)))
        self._comment("%s: %s" % (kind, self._exc_info_to_string(err, test)))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._failed(test, err, "FAIL")

    def addError(self, test, err):
        super().addError(test, err)
        self._failed(test, err, "ERROR")

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.number += 1
        self._line("ok %d - %s # SKIP %s" % (self.number, self._name(test),
                                            reason))

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.number += 1
        self._line("not ok %d - %s # TODO expected failure" %
                   (self.number, self._name(test)))

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.number += 1
        self._line("ok %d - %s # TODO unexpected success" %
                   (self.number, self._name(test)))


def run(suite, stream=sys.stdout):
    """Runs @suite, printing TAP; returns True when nothing failed."""
    stream.write("1..%d\n" % suite.countTestCases())
    stream.flush()
    result = TapResult(stream)
    suite.run(result)
    return result.wasSuccessful()


def main(module="__main__"):
    """Runs every test of @module (the caller by default) and exits."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(
        sys.modules[module])
    sys.exit(0 if run(suite) else 1)
