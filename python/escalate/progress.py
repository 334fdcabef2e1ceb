"""Progress on stderr for the long Python commands (training, evaluation):
a bar with counts, percentage and ETA on a terminal, and only the lines a
command prints itself elsewhere (logs stay readable)."""

import sys
import time


class Progress:
    def __init__(self, quiet=False):
        self.quiet, self.tty = quiet, sys.stderr.isatty()
        self.start = time.time()

    def restart(self):
        self.start = time.time()

    def step(self, label, done, total, extra=""):
        if self.quiet or not self.tty:
            return
        elapsed = time.time() - self.start
        eta = elapsed / done * (total - done) if done else 0
        fill = 24 * done // max(total, 1)
        sys.stderr.write("\r\033[K%s [%s%s] %d/%d %3d%% ETA %ds %s" % (
            label, "#" * fill, "." * (24 - fill), done, total,
            100 * done // max(total, 1), eta, extra))
        sys.stderr.flush()

    def line(self, text=None):
        """Clears the bar; then prints `text` as a line of its own."""
        if self.quiet:
            return
        if self.tty:
            sys.stderr.write("\r\033[K")
        if text is not None:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()
