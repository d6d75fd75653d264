"""Bounds that keep hostile or broken input from hanging or crashing a scan.

Each is a reported, located skip of that file, never a traceback; the numbers are far above what
real infrastructure files need (the deepest file in our corpus nests 25 levels).
"""

MAX_FILE_BYTES = 32 * 1024 * 1024
#: configuration files and policy packs: hand-written, small
MAX_CONFIG_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 256
#: nodes a naive walk would visit once aliases are expanded (billion laughs protection)
MAX_EXPANDED_NODES = 1_000_000


class LimitExceeded(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column

# Kustomize builds (lintra/load/kustomize/): a root may name other roots, components, patches and
# generator files; these bound what one root's build reads and produces.
#: kustomizations nested inside each other (overlay -> base -> base ...); real chains are < 6 deep
MAX_KUSTOMIZE_DEPTH = 32
#: kustomizations and files one root's build may read, counting each visit (a base two overlays share
#: counts twice, so diamond-shaped inclusion cannot grow the work exponentially)
MAX_KUSTOMIZE_READS = 2_000
#: bytes one root's build may read, generator files included
MAX_KUSTOMIZE_BYTES = 64 * 1024 * 1024
#: objects one root's build may produce
MAX_KUSTOMIZE_OBJECTS = 20_000
#: entries (literals, files, env lines) of one root's ConfigMap/Secret generators
MAX_GENERATOR_ENTRIES = 10_000
