"""Bounds that keep hostile or broken input from hanging or crashing a scan.

Each is a reported, located skip of that file, never a traceback; the numbers are far above what
real infrastructure files need (the deepest file in our corpus nests 25 levels).
"""

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 256
#: nodes a naive walk would visit once aliases are expanded (billion laughs protection)
MAX_EXPANDED_NODES = 1_000_000


class LimitExceeded(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
