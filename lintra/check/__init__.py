"""Check stage: run every applicable rule on every document and locate what they find.

A per-document rule runs while its file is loaded, and its :class:`Scan` holds the documents
loaded together with its own: those of the same parsed YAML document (a ``List``'s items), or a
file's when it is read whole (a Helm chart, a Kustomize root). A cross-object rule (:attr:`lintra.Rule.needs`) runs once every file is loaded, and its
:class:`Scan` holds every document some cross-object rule needs, so it can reason across objects
(a claim and the StorageClass it names, a template and the environment that maps its types).
"""

from __future__ import annotations

from collections import defaultdict

from lintra.check import identity
from lintra.check.params import configured
from lintra.check.reserved import INTERNAL_ERROR
from lintra.domain import kubernetes
from lintra.model import Document, Finding, Hit, Related, Rule

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

MISSING = object()


class Scan:
    """What a rule can see beyond its own document: every document of the run, and a memo for
    indexes built once per run (``scan.memo("k8s.storageclasses", build)``)."""

    __slots__ = ("documents", "options", "resolvers", "_by_kind", "_memo")

    def __init__(self, documents: Sequence[Document], options: Optional[Dict[str, Any]] = None,
                 resolvers: Optional[Mapping[str, Any]] = None) -> None:
        self.documents = documents
        #: run options plugins may read (``heat_env`` files given with ``-e`` ...)
        self.options = options or {}
        #: document kind -> the :class:`lintra.Resolver` plugins registered for it (policy packs use them)
        self.resolvers = resolvers or {}
        self._by_kind: Dict[str, List[Document]] = defaultdict(list)
        for doc in documents:
            self._by_kind[doc.kind].append(doc)
        self._memo: Dict[str, Any] = {}

    def of_kind(self, *kinds: str) -> Iterator[Document]:
        for kind in kinds:
            yield from self._by_kind.get(kind, ())

    def memo(self, key: str, build: Callable[["Scan"], Any]) -> Any:
        value = self._memo.get(key, MISSING)
        if value is MISSING:
            value = self._memo[key] = build(self)
        return value


def run_rules(documents: Sequence[Document], rules: Union[Iterable[Rule], "Dispatch"], scan: Scan,
              wants: Optional[Callable[[Rule, Document], bool]] = None) -> List[Finding]:
    """Every rule on every document of a kind it declares (``wants(rule, document)``, when given,
    narrows that further), in document order; the findings located. A rule is not called on a
    document where it cannot find anything (:class:`Dispatch`). ``rules`` may be a
    :class:`Dispatch` built once for them (the map step checks every document with one).
    ``wants`` may also say ``wants.runs_on(document)``: False where it wants no rule at all (the
    document's rules are then not even dispatched: its data is not read)."""
    dispatch = (rules if isinstance(rules, Dispatch) else Dispatch.of(rules)).given(scan)
    resolved = getattr(scan, "resolvers", None) or {}
    runs_on = getattr(wants, "runs_on", None)
    findings: List[Finding] = []
    last: list = [None, None]  # the findings of one document share its object's parts
    for doc in documents:
        if runs_on is not None and not runs_on(doc):
            continue
        # found on an object built from other files (a Kustomize overlay's): the run merges what
        # several builds find at one place (lintra.filter.duplicates)
        built = getattr(doc.locator, "related", None) is not None
        for rule in dispatch.rules_for(doc, resolved.get(doc.kind, False)):
            if wants is not None and not wants(rule, doc):
                continue
            try:
                for hit in rule.check(doc, scan):
                    finding = locate(rule, doc, hit, last)
                    finding.built = built
                    findings.append(finding)
            except Exception as error:  # a broken rule must not stop the scan
                finding = _internal_error(rule, doc, error)
                finding.built = built
                findings.append(finding)
    return findings


class Dispatch:
    """The rules of each kind, and what a document must have for each to be given it: built once
    per set of rules, so that each document is looked at once for every rule of its kind (as
    yamllint runs one walk of a file and hands each token to the rules that want it).

    The places rules find under (:attr:`lintra.Rule.finds_under`) are merged into one tree of
    keys per kind; a document is walked along that tree once, and the parts the domain finds
    (an object's pods) are asked once, so a rule whose places a document lacks costs nothing.

    A rule may say more precisely where it looks: its ``check`` may carry ``looks(scan)`` (``scan``
    holds the run's ``options`` only, not its documents), giving None or a list of ``(reach, test)``,
    one per path the rule looks at. ``reach(data)`` is the
    list of ``(pointer, key, value)`` the path reaches in a document (one object per path, shared
    by every rule that looks there), and ``test(key, value)`` whether the rule may find something
    there (None: whatever is reached; a pure function of its arguments; ``test.key_only = True``
    says it reads the key only). The promise: when no
    reached node passes a test, the check finds nothing. A reach may also say which path it
    continues (``reach.parent``, a reach, with ``reach.follow(found)``: what it reaches from what
    the parent reached, and ``reach.key`` when its last step takes one mapping key): the paths
    looked at then form one tree, walked once per document from the root down, a path that
    reaches nothing ending the walk below it. Each distinct ``(key, text)`` is tested once per run
    for all the rules looking there, and only the rules that may find something are called
    (policy packs' rules carry ``looks``: :mod:`lintra.policy.pack`). A rule's looks are asked
    once per run and set of parameters: a rule compiled on first use gives tests that compile it
    when first asked, then answer as its compiled tests do."""

    __slots__ = ("by_kind", "_run")
    _recent: Dict[Tuple[Rule, ...], "Dispatch"] = {}

    def __init__(self, rules: Iterable[Rule]) -> None:
        grouped: Dict[str, List[Rule]] = defaultdict(list)
        for rule in rules:
            for kind in rule.kinds:
                grouped[kind].append(rule)
        self.by_kind = {kind: _KindRules(kind_rules) for kind, kind_rules in grouped.items()}
        self._run = _RunOptions(None)

    def given(self, scan: Any) -> "Dispatch":
        """This dispatch for the run ``scan`` belongs to: the rules' looks follow the run's
        options (their parameters). Only the options are held, never the scan's documents."""
        options = getattr(scan, "options", None)
        if options is not self._run.options:
            self._run = _RunOptions(options)
        return self

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> "Dispatch":
        """The dispatch of ``rules``, reused while the same rules come back (each file of a run)."""
        key = tuple(rules)
        found = cls._recent.get(key)
        if found is None:
            if len(cls._recent) >= 8:
                cls._recent.clear()
            found = cls._recent[key] = cls(key)
        return found

    def rules_for(self, document: Document, resolved: Any = False) -> Sequence[Rule]:
        """The rules to give ``document``, in the order they were declared, for the run last
        :meth:`given`. ``resolved``: the resolver of its kind (or True), which may stand values
        in for the document's nodes. Any rule of its kind may then find, unless the resolver says
        which nodes it stands values in for (:attr:`lintra.Resolver.stands_in`): a rule is then
        also given the document where such a node lies on a path it looks at (or on the way to a
        place it finds under), and only there besides where its looks or places say."""
        table = self.by_kind.get(document.kind)
        if table is None:
            return ()
        data = document.data
        if not isinstance(data, dict):
            return table.rules
        if resolved:
            stands_in = getattr(resolved, "stands_in", None)
            if not callable(stands_in) or _stands_in(stands_in, data):
                return table.rules
            return table.program(self._run).rules_for(data, stands_in)
        return table.program(self._run).rules_for(data)


class _RunOptions:
    """What the rules' looks are given for a run: its options (``scan.options``), no documents."""

    __slots__ = ("options",)

    def __init__(self, options: Optional[Dict[str, Any]]) -> None:
        self.options = options


class _KindRules:
    """The rules of one kind, and the program that dispatches them for the run's parameters."""

    __slots__ = ("rules", "_given", "_program")

    def __init__(self, rules: List[Rule]) -> None:
        self.rules = rules
        self._given: Any = _UNSET
        self._program: Optional[_Program] = None

    def program(self, scan: Any) -> "_Program":
        # a rule's looks follow the run's parameters: one program per parameter mapping
        given = configured(scan)
        if given is not self._given or self._program is None:
            self._program = _Program(self.rules, scan)
            self._given = given
        return self._program


_UNSET = object()


class _Program:
    __slots__ = ("rules", "plain", "everywhere", "tree", "parts", "roots", "opaque")

    def __init__(self, rules: List[Rule], scan: Any) -> None:
        self.rules = rules
        #: (position, places) of the rules without looks that are given documents by place
        self.plain: List[Tuple[int, frozenset]] = []
        #: positions of the rules given every document
        self.everywhere: List[int] = []
        nodes: Dict[Any, _Node] = {}
        places_seen: set = set()
        for position, rule in enumerate(rules):
            looks = _looks(rule, scan)
            if looks is None:
                places = _places(rule)
                if places is None:
                    self.everywhere.append(position)
                else:
                    self.plain.append((position, places))
                    places_seen.update(places)
                continue
            for reach, test in looks:
                _node(reach, nodes).add(position, test)
        #: the paths looked at that start at the document (the others hang below them)
        self.roots = _Node(None, None)
        for node in nodes.values():
            if node.parent is None:
                self.roots.hang(node)
        self.roots.gather()
        #: positions of the rules that look along a path not walked step by step from the document
        #: (a reach without ``parent`` and ``follow``): where a resolver stands values in, what it
        #: reaches cannot be told without resolving, so they are given every resolved document
        self.opaque = frozenset(position for node in nodes.values() if node.follows is None for position in node.under)
        #: key -> (the place ending at it or None, the tree below it)
        tree: Dict[Any, Tuple[Any, dict]] = {}
        parts: Dict[str, Callable[[Any], bool]] = {}
        for place in places_seen:
            if isinstance(place, str):
                parts[place] = kubernetes.PARTS[place]
                continue
            level = tree
            for depth, key in enumerate(place):
                end, below = level.get(key, (None, None))
                if below is None:
                    below = {}
                if depth == len(place) - 1:
                    end = place
                level[key] = (end, below)
                level = below
        self.tree = tree
        self.parts = list(parts.items())

    def rules_for(self, data: dict, stands_in: Optional[Callable[[Any], bool]] = None) -> List[Rule]:
        """The rules that may find in ``data``; with ``stands_in`` (a resolver's, see
        :meth:`Dispatch.rules_for`), also those with a node it stands values in for on their way."""
        chosen = set(self.everywhere)
        if self.plain:
            present = self.present(data, stands_in)
            for position, places in self.plain:
                if not places.isdisjoint(present):
                    chosen.add(position)
        # every path looked at, from the document down, a path's answer given to the paths that
        # continue it; a path that reaches nothing ends the walk below it
        stack: List[Tuple[_Node, list]] = []
        self.roots.below([((), None, data)], data, stack)  # the empty path reaches the document
        if stands_in is not None:
            chosen.update(self.opaque)
        while stack:
            node, found = stack.pop()
            if stands_in is not None and _reaches_stand_in(stands_in, found):
                # the resolver may put any value here: every path through it may find
                chosen.update(node.under)
                continue
            if node.always:
                chosen.update(node.always)
            if node.tested:
                node.fire(found, chosen)
            if node.keyed or node.others:
                node.below(found, data, stack)
        rules = self.rules
        return [rules[position] for position in sorted(chosen)]

    def present(self, data: dict, stands_in: Optional[Callable[[Any], bool]] = None) -> set:
        """The places of this kind's rules that ``data`` has; with ``stands_in``, also those below
        a node it stands values in for (and every part the domain finds: it may be resolved)."""
        found = set()
        stack = [(data, self.tree)]
        while stack:
            node, level = stack.pop()
            # the keys of the smaller side: a mapping's few keys, or the tree's few below a key
            keys = level if len(level) <= len(node) else [key for key in node if key in level]
            for key in keys:
                if key in node:
                    end, below = level[key]
                    if end is not None:
                        found.add(end)
                    if below:
                        child = node[key]
                        if isinstance(child, dict):
                            if stands_in is not None and _stands_in(stands_in, child):
                                found.update(_ends(below))
                            else:
                                stack.append((child, below))
        for name, has in self.parts:
            if stands_in is not None or has(data):
                found.add(name)
        return found


def _ends(level: dict) -> List[Any]:
    """Every place of the tree of places below ``level``."""
    ends = []
    stack = [level]
    while stack:
        for end, below in stack.pop().values():
            if end is not None:
                ends.append(end)
            if below:
                stack.append(below)
    return ends


def _stands_in(stands_in: Callable[[Any], bool], value: Any) -> bool:
    try:
        return bool(stands_in(value))
    except Exception:  # a broken answer: the resolver may stand a value in there
        return True


def _reaches_stand_in(stands_in: Callable[[Any], bool], found: list) -> bool:
    """Whether a node of ``found`` is one the resolver stands values in for (only a mapping
    can be: an indirection is written as one)."""
    for _, _, value in found:
        if value.__class__ is dict or isinstance(value, dict):
            if _stands_in(stands_in, value):
                return True
    return False


_NO_KEY = object()


def _node(reach: Any, nodes: Dict[Any, "_Node"]) -> "_Node":
    """The node of ``reach`` in the tree of paths, made with the nodes of the paths it continues."""
    node = nodes.get(reach)
    if node is None:
        above = getattr(reach, "parent", None)
        if above is not None and not callable(getattr(reach, "follow", None)):
            above = None
        parent = _node(above, nodes) if above is not None else None
        node = nodes[reach] = _Node(reach, parent)
        if parent is not None:
            parent.hang(node)
    return node


class _Node:
    """One path some rules look at (or that paths they look at continue), and for each distinct
    ``(key, text)`` reached there the rules whose test it passes (remembered: the same images and
    annotations come back in every document; by key alone when every test here reads the key only)."""

    __slots__ = ("reach", "parent", "follows", "key", "keyed", "others", "always", "tested", "answers", "by_key",
                 "under")

    def __init__(self, reach: Any, parent: Optional["_Node"]) -> None:
        self.reach = reach
        self.parent = parent
        #: what the path's last step reaches from what the path before it reaches (the document,
        #: for one step), when the reach says; None: ``reach(data)`` is asked
        follows = getattr(reach, "follow", None)
        self.follows = follows if callable(follows) and hasattr(reach, "parent") else None
        #: the one mapping key the path's last step takes, when it says so (walked here inline)
        key = getattr(reach, "key", None) if self.follows is not None else None
        self.key = key if isinstance(key, (str, int)) and not isinstance(key, bool) else _NO_KEY
        #: the paths continuing this one by one key (key -> node), and the others
        self.keyed: Dict[Any, _Node] = {}
        self.others: List[_Node] = []
        #: positions of the rules that may find whatever is reached
        self.always: List[int] = []
        #: (position, test) of the others
        self.tested: List[Tuple[int, Callable[[Any, Any], bool]]] = []
        self.answers: Dict[Any, Tuple[int, ...]] = {}
        #: every test here says it reads the key only (``test.key_only``): answers are remembered
        #: by key, whatever the value (``spec.*`` reaches mappings, which are not remembered else)
        self.by_key = False
        #: positions of the rules that look here or along a path continuing this one (:meth:`gather`)
        self.under: frozenset = frozenset()

    def add(self, position: int, test: Optional[Callable[[Any, Any], bool]]) -> None:
        if test is None:
            self.always.append(position)
        else:
            self.tested.append((position, test))
            self.by_key = all(getattr(known, "key_only", False) is True for _, known in self.tested)

    def gather(self) -> frozenset:
        """Set :attr:`under` here and on every path continuing this one; this one's."""
        under = set(self.always)
        under.update(position for position, _ in self.tested)
        for child in list(self.keyed.values()) + self.others:
            under |= child.gather()
        self.under = frozenset(under)
        return self.under

    def hang(self, child: "_Node") -> None:
        if child.key is not _NO_KEY and child.key not in self.keyed:
            self.keyed[child.key] = child
        else:
            self.others.append(child)

    def below(self, found: list, data: Any, stack: list) -> None:
        """Put on ``stack`` each path continuing this one that reaches something, with what it
        reaches, given what this one reaches (``found``)."""
        keyed = self.keyed
        if keyed:
            if len(found) == 1 and isinstance(found[0][2], dict):
                pointer, _, value = found[0]
                # the smaller side's keys: a mapping's few keys, or the few paths below
                for child in ([keyed[k] for k in value if k in keyed] if len(value) < len(keyed) else
                              [child for k, child in keyed.items() if k in value]):
                    key = child.key
                    stack.append((child, [(pointer + (key,), key, value[key])]))
            else:
                for key, child in keyed.items():
                    reached = [(pointer + (key,), key, value[key]) for pointer, _, value in found
                               if isinstance(value, dict) and key in value]
                    if reached:
                        stack.append((child, reached))
        for child in self.others:
            reached = child.reach(data) if child.follows is None else child.follows(found)
            if reached:
                stack.append((child, reached))

    def fire(self, found: list, chosen: set) -> None:
        """Add to ``chosen`` the rules whose test a node ``found`` here passes."""
        answers = self.answers
        by_key = self.by_key
        for _, key, value in found:
            if key.__class__ in _PLAIN_KEYS and (by_key or value.__class__ is str):
                asked = key if by_key else (key, value)
                passed = answers.get(asked)
                if passed is None:
                    if len(answers) >= _REMEMBERED:
                        answers.clear()
                    passed = answers[asked] = self._passing(key, value)
            else:
                passed = self._passing(key, value)
            if passed:
                chosen.update(passed)

    def _passing(self, key: Any, value: Any) -> Tuple[int, ...]:
        passed = []
        for position, test in self.tested:
            try:
                if test(key, value):
                    passed.append(position)
            except Exception:  # the rule is called, and reports its error as it would
                passed.append(position)
        return tuple(passed)


#: keys whose ``(key, text)`` answers are remembered (``1`` and ``True`` hash alike: not bool)
_PLAIN_KEYS = frozenset((str, int))
#: how many ``(key, text)`` answers each look remembers
_REMEMBERED = 4096


def _looks(rule: Rule, scan: Any) -> Optional[list]:
    """The rule's looks for this run (see :class:`Dispatch`), None when it gives none."""
    looks = getattr(rule.check, "looks", None)
    if looks is None:
        return None
    try:
        given = looks(scan)
        return None if given is None else [(reach, test) for reach, test in given]
    except Exception:  # the rule is given every document, and reports its error as it would
        return None


def _places(rule: Rule) -> Optional[frozenset]:
    """The places ``rule`` finds under, or None when it may find anywhere (it declares none, one
    is the whole document, or one is a part the domain does not know)."""
    places = getattr(rule, "finds_under", None)
    if places is None:
        return None
    result = set()
    for place in places:
        if isinstance(place, str):
            if place not in kubernetes.PARTS:
                return None
        elif not isinstance(place, tuple) or not place:
            return None
        result.add(place)
    return frozenset(result) if result else None


def locate(rule: Rule, doc: Document, hit: Hit, last: Optional[list] = None) -> Finding:
    """The finding of ``hit``, located. ``last``: see :func:`_object_parts`."""
    where = hit.document or doc
    span = where.span(hit.pointer, hit.at)
    finding = Finding(rule, hit.message, span.file or where.source.name, span,
                      document=where.index, pointer=where.base + hit.pointer, value=where.get(hit.pointer),
                      related=tuple(hit.related) + tuple(getattr(where.locator, "related", None) or ()),
                      kind=doc.kind, vendor=hit.vendor,
                      service=hit.service, effort=hit.effort)
    finding.derived(_object_parts(where, last), identity.normalised_pointer(where.data, hit.pointer)
                    if identity.has_list_index(hit.pointer) else None)
    if span.via is not None:  # a value written in one file and consumed by a template in another
        via_file, via_span = span.via
        finding.related = finding.related + (Related("the template that prints this value", via_file, via_span),)
    # a finding that depends on another object rendered only under a condition is conditional too
    finding.conditional = span.condition or next(
        (r.span.condition for r in finding.related if getattr(r.span, "condition", None)), None)
    return finding


def _object_parts(doc: Document, last: Optional[list]) -> tuple:
    """``(object identity, object name, base length)`` of ``doc``, the tuple its findings share:
    ``last`` is ``[document, its tuple]`` of the last document located in (findings of one
    document come together), kept by the caller for as long as it locates."""
    if last is not None and last[0] is doc:
        return last[1]
    name = object_name(doc)
    parts = (identity.object_identity(doc, name), name, len(doc.base))
    if last is not None:
        last[0], last[1] = doc, parts
    return parts


def object_name(doc: Document) -> Optional[str]:
    """A Kubernetes object's identity (apiVersion, kind, namespace, name), stable when documents
    move within a file; None for formats whose documents have no name."""
    if doc.kind != "k8s" or doc.name is None:
        return None
    meta = doc.data.get("metadata") or {}
    return "/".join(str(part) for part in (doc.data.get("apiVersion"), doc.data.get("kind"),
                                           meta.get("namespace") or "", doc.name))


def _internal_error(rule: Rule, doc: Document, error: Exception) -> Finding:
    import traceback  # imports the tokenizer; only a crashing rule needs it

    frame = traceback.extract_tb(error.__traceback__)[-1]
    origin = f" ({rule.origin})" if rule.origin else ""
    message = (f"rule {rule.id}{origin} raised {type(error).__name__}: {error} "
               f"at {frame.filename}:{frame.lineno}")
    return Finding(INTERNAL_ERROR, message, doc.source.name, doc.span(()), document=doc.index,
                   pointer=doc.base, kind=doc.kind)
