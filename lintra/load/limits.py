"""Bounds that keep hostile or broken input from hanging or crashing a scan.

Each is a reported, located skip of that file (an ``LT002`` finding, status ``error``), never a
traceback; the numbers are far above what real infrastructure files need (the deepest file in our
corpus nests 25 levels). README "Limits" lists every one with its message; a test keeps the two
in step.
"""

MAX_FILE_BYTES = 32 * 1024 * 1024
#: configuration files and policy packs: hand-written, small
MAX_CONFIG_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 256
#: nodes a naive walk would visit once aliases are expanded, scalars included (billion laughs)
MAX_EXPANDED_NODES = 1_000_000
#: documents one YAML stream may hold (each kept document costs about 1 KB before it is checked)
MAX_DOCUMENTS = 100_000
#: nodes one YAML document may hold as written (aliases are MAX_EXPANDED_NODES): the parser builds a
#: document's whole node tree before lintra sees it, about 1 KB a node, so a 300,000-item List is
#: refused before it is composed rather than after it took 2 GB
MAX_DOCUMENT_NODES = 250_000
#: rows of one RVTools tab (xlsx sheet or CSV file). RVTools exports one vCenter, which registers at
#: most 45,000 VMs (vSphere 8 configuration maximums, configmax.broadcom.com), so 200,000 leaves room
#: for four disks or NICs per VM; each VM model costs about 2 KB, and 1,000,000 rows (the old
#: value) took a 500k-row CSV past 1 GB
MAX_ROWS = 200_000
#: bytes an xlsx workbook's members inflate to (a zip bomb is refused before it is opened)
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
#: bytes of the .ovf descriptor inside an .ova
MAX_OVA_DESCRIPTOR_BYTES = MAX_FILE_BYTES
#: members an .ova (tar) lists before its descriptor is found
MAX_ARCHIVE_MEMBERS = 10_000


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

# Helm charts (lintra/load/helm/): a chart read in place, its vendored subcharts and the templates'
# evaluation. Helm itself bounds none of these except includes (1000); hostile charts need each.
#: files one chart directory may hold (a vendored subchart counts as one)
MAX_CHART_FILES = 5_000
#: bytes of one chart file or vendored .tgz member
MAX_CHART_MEMBER_BYTES = 4 * 1024 * 1024
#: bytes of one vendored subchart .tgz, and what its members inflate to
MAX_CHART_ARCHIVE_BYTES = 32 * 1024 * 1024
#: members of one vendored subchart .tgz
MAX_CHART_ARCHIVE_MEMBERS = 5_000
#: subcharts nested in subcharts (charts/ in charts/)
MAX_CHART_DEPTH = 8
#: parenthesis and block nesting in one template (Go has no such bound)
MAX_TEMPLATE_NESTING = 100
#: evaluation steps per rendered template (a range over a huge list, a recursion ...)
MAX_TEMPLATE_STEPS = 200_000
#: characters one rendered template may print
MAX_TEMPLATE_OUTPUT = 2 * 1024 * 1024
#: include/template/tpl nesting (Helm stops recursive includes at 1000)
MAX_INCLUDE_DEPTH = 50
#: explore passes per template beyond the values in effect (the k-th branch of every if-chain)
MAX_TEMPLATE_PASSES = 4

#: Heat nested/provider templates one run adds to what was named (lintra/load/references.py)
MAX_REFERENCED = 1_000
#: bytes of those nested templates one run adds: their resources stay in memory for the Heat rules
#: (a chain of 1,000 templates each referenced 5,000 times by the one before took 1.6 GB)
MAX_REFERENCED_BYTES = 16 * 1024 * 1024
#: RE2's memory budget for one compiled pack regex (its own default is 8 MiB): a pattern that needs
#: more does not compile and is a pack error (lintra/policy/regex_safety.py)
MAX_PATTERN_MEMORY = 8 * 1024 * 1024


# Configurable limits (README "Limits"): ``limits: {max_depth: 64}`` in a configuration file or
# ``--limit max_depth=64``. The loaders read the module attributes at call time, so a run sets them
# with :func:`applied` before any worker process forks and restores them afterwards.
#: name in the configuration -> module attribute; MAX_CONFIG_BYTES is not here: it bounds reading
#: the configuration itself
CONFIGURABLE = {name.lower(): name for name in (
    "MAX_FILE_BYTES", "MAX_DEPTH", "MAX_EXPANDED_NODES", "MAX_DOCUMENTS", "MAX_DOCUMENT_NODES", "MAX_ROWS", "MAX_UNCOMPRESSED_BYTES",
    "MAX_OVA_DESCRIPTOR_BYTES", "MAX_ARCHIVE_MEMBERS", "MAX_KUSTOMIZE_DEPTH", "MAX_KUSTOMIZE_READS",
    "MAX_KUSTOMIZE_BYTES", "MAX_KUSTOMIZE_OBJECTS", "MAX_GENERATOR_ENTRIES",
    "MAX_CHART_FILES", "MAX_CHART_MEMBER_BYTES", "MAX_CHART_ARCHIVE_BYTES", "MAX_CHART_ARCHIVE_MEMBERS",
    "MAX_CHART_DEPTH", "MAX_TEMPLATE_NESTING", "MAX_TEMPLATE_STEPS", "MAX_TEMPLATE_OUTPUT", "MAX_INCLUDE_DEPTH",
    "MAX_TEMPLATE_PASSES", "MAX_REFERENCED", "MAX_REFERENCED_BYTES",
    "MAX_PATTERN_MEMORY")}
DEFAULTS = {name: globals()[attribute] for name, attribute in CONFIGURABLE.items()}
#: no source may raise a limit past this many times its default: bounded memory stays bounded
CEILING = 16


def problem(name: str, value: object) -> "str | None":
    """Why ``name: value`` is not a limit any source may set, or None."""
    if name not in CONFIGURABLE:
        return f"unknown limit {name!r}; known: {', '.join(CONFIGURABLE)}"
    if not isinstance(value, int) or isinstance(value, bool):
        return f"limit {name} must be an integer, not {value!r}"
    if not 1 <= value <= CEILING * DEFAULTS[name]:
        return f"limit {name} must be between 1 and {CEILING * DEFAULTS[name]} ({CEILING} x the default {DEFAULTS[name]}), not {value}"
    return None


class applied:
    """``with applied({"max_depth": 64}):`` the loaders see these limits, the defaults elsewhere."""

    def __init__(self, values: "dict | None") -> None:
        self.values = {CONFIGURABLE[name]: value for name, value in (values or {}).items()}
        self.saved: dict = {}

    def __enter__(self) -> None:
        scope = globals()
        self.saved = {attribute: scope[attribute] for attribute in self.values}
        scope.update(self.values)

    def __exit__(self, *exc: object) -> None:
        globals().update(self.saved)


def size(value: int) -> str:
    """A byte limit as its messages say it: ``32 MiB``, or ``1000 bytes`` when lowered to less."""
    return f"{value // (1024 * 1024)} MiB" if value % (1024 * 1024) == 0 else f"{value} bytes"
