"""Find, read and validate configuration files, keeping where each value was written.

A project file is found upward from the scanned path, stopping at the repository root
(:mod:`lintra.repository`): ``.lintra.yaml``, ``.lintra.yml``, or ``[tool.lintra]`` in
``pyproject.toml``. A user-level file (``$XDG_CONFIG_HOME/lintra/config.yaml``) sits below it. A baseline
(``.lintra-baseline.yaml``) is found the same way unless a file or flag names one.
Every file is validated against ``schema.json``; an error names the file, the line and the key.
"""

from __future__ import annotations

import json
import os
import re

from lintra.repository import repository_root

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

PROJECT_FILES = (".lintra.yaml", ".lintra.yml", "pyproject.toml")
_SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema.json")


class ConfigFileError(ValueError):
    """A configuration file that cannot be used; the message starts with ``file:line:column``."""


class ConfigFile:
    """One validated file: its data, and ``where(pointer)`` -> ``file:line:column`` for any key."""

    __slots__ = ("path", "data", "where", "user")

    def __init__(self, path: str, data: Dict[str, Any], where: Callable[[tuple], str], user: bool) -> None:
        self.path = path
        self.data = data
        self.where = where
        #: a user-level file is trusted to name Python plugins; a project file is not
        self.user = user

    @property
    def directory(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))


def find_project_file(paths: Sequence[str]) -> Optional[str]:
    return find_upward(paths, PROJECT_FILES)


def start_directory(paths: Sequence[str]) -> str:
    """The directory of the first scanned path (the path itself when it is a directory)."""
    directory = os.path.abspath(next((p for p in paths if p != "-"), "."))
    return directory if os.path.isdir(directory) else os.path.dirname(directory)


def find_upward(paths: Sequence[str], names: Sequence[str]) -> Optional[str]:
    """The first of ``names`` in the directory of the first scanned path or a parent of it, up to
    the repository root (:func:`lintra.repository.repository_root`); a ``pyproject.toml`` counts
    only with a ``[tool.lintra]`` table."""
    directory = start_directory(paths)
    root = repository_root(directory)
    while True:
        for name in names:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
        parent = os.path.dirname(directory)
        if directory == root or parent == directory:
            return None
        directory = parent


def user_file() -> Optional[str]:
    home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    path = os.path.join(home, "lintra", "config.yaml")
    return path if os.path.isfile(path) else None


def read(path: str, user: bool = False) -> ConfigFile:
    from lintra.filesystem import read_text
    from lintra.load.limits import MAX_CONFIG_BYTES

    try:
        text = read_text(path, MAX_CONFIG_BYTES)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigFileError(f"{path}: cannot read configuration: {getattr(error, 'strerror', None) or error}") from None
    if path.endswith(".toml"):
        data, where = _read_toml(path, text)
    else:
        data, where = _read_yaml(path, text)
    _validate_once(path, text, data, where)
    return ConfigFile(path, data, where, user)


def _validate_once(path: str, text: str, data: Dict[str, Any], where: Callable[[tuple], str]) -> None:
    """Validate, unless a file of exactly this content (and format) passed against exactly this
    schema before: importing jsonschema and building its validator would cost a pre-commit run
    on one file more than the check itself. Only the fact "valid" is cached (:mod:`lintra.cache`);
    an invalid file is validated, and its errors reported, on every run."""
    from lintra import cache

    try:
        with open(_SCHEMA, "rb") as handle:
            schema_bytes = handle.read()
    except OSError:
        schema_bytes = b""
    key = cache.digest(os.path.splitext(path)[1].encode("utf-8", "surrogateescape"),
                       text.encode("utf-8", "surrogateescape"), schema_bytes)
    if cache.read("config-valid", key) is True:
        return
    if not path.endswith(".toml"):  # TOML refuses a key defined twice itself
        _refuse_duplicate_keys(path, text)
    _validate(data, where)
    cache.write("config-valid", key, True)


def _read_yaml(path: str, text: str) -> Tuple[Dict[str, Any], Callable[[tuple], str]]:
    from lintra.load import yamltree

    from lintra.load.limits import LimitExceeded

    try:
        documents = yamltree.parse(text)
    except yamltree.YamlSyntaxError as error:
        raise ConfigFileError(f"{path}:{error.line}:{error.column}: YAML syntax error: {error}") from None
    except LimitExceeded as error:
        raise ConfigFileError(f"{path}:{error.line}:{error.column}: {error}") from None
    if not documents or documents[0][0] is None:
        return {}, lambda pointer: f"{path}:1:1"
    data, locator = documents[0]

    def where(pointer: tuple) -> str:
        span = locator.span(tuple(pointer), "key")
        return f"{path}:{span.line}:{span.column}"

    if len(documents) > 1 or not isinstance(data, dict):
        raise ConfigFileError(f"{where(())}: a configuration file is one YAML mapping")
    return data, where


def _refuse_duplicate_keys(path: str, text: str) -> None:
    """A key written twice in one mapping: YAML keeps the last silently (PyYAML does), so a
    second ``sanctioned_vendors:`` or ``rules:`` lower in the file would quietly undo the first,
    and a gate would check less than its file says. YAML requires keys to be unique (YAML 1.2
    section 3.2.1.1), and yamllint's key-duplicates refuses them; so does lintra, for its own
    configuration. Runs on the composed nodes, each node once (aliases share them)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return  # the reader reported it already
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: Dict[Tuple[str, str], Any] = {}
            for index, (key, value) in enumerate(node.value):
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    earlier, earlier_key = first.setdefault((key.tag, key.value), (index, key))
                    if earlier != index:
                        from lintra.escape import terminal

                        # a key written as an alias (*a) is the anchored node itself: its value says where
                        mark = value.start_mark if key is earlier_key else key.start_mark
                        raise ConfigFileError(
                            f"{path}:{mark.line + 1}:{mark.column + 1}: the key "
                            f"{terminal(key.value)!r} is written twice in one mapping (first at line "
                            f"{earlier_key.start_mark.line + 1}); YAML keeps only the last: keep one")
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _read_toml(path: str, text: str) -> Tuple[Dict[str, Any], Callable[[tuple], str]]:
    tomllib = _toml()
    try:
        data = tomllib.loads(text).get("tool", {}).get("lintra", {})
    except tomllib.TOMLDecodeError as error:
        raise ConfigFileError(f"{path}: TOML syntax error: {error}") from None
    lines = text.splitlines()

    def where(pointer: tuple) -> str:
        return f"{path}:{_toml_line(lines, [str(p) for p in pointer if not isinstance(p, int)])}:1"

    return data, where


def _toml_line(lines: List[str], keys: List[str]) -> int:
    """The line of the deepest key of ``keys`` below ``[tool.lintra]``. TOML readers keep no line
    numbers, so follow the keys through the text: as ``key =`` lines or ``[tool.lintra.key]`` tables."""
    header = re.compile(r"^\s*\[\s*tool\s*\.\s*lintra\s*[.\]]")
    line = next((n for n, text in enumerate(lines, 1) if header.match(text)), 1)
    for key in keys:
        quoted = re.escape(key)
        pattern = re.compile(rf'^\s*(?:"{quoted}"|\'{quoted}\'|{quoted})\s*=|^\s*\[\s*tool\s*\.\s*lintra\b.*\b{quoted}\b')
        found = next((n for n, text in enumerate(lines[line - 1:], line) if pattern.search(text)), None)
        if found is None:
            break
        line = found
    return line


def _has_tool_table(path: str) -> bool:
    """Whether ``pyproject.toml`` configures lintra; a file that does not parse is reported when
    read rather than silently passed over, so it counts."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return False
    if "lintra" not in text:
        return False
    try:
        return "lintra" in _toml().loads(text).get("tool", {})
    except _toml().TOMLDecodeError:
        return True


def _toml():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib


def schema() -> Dict[str, Any]:
    with open(_SCHEMA, encoding="utf-8") as handle:
        return json.load(handle)


def _validate(data: Dict[str, Any], where: Callable[[tuple], str]) -> None:
    import jsonschema  # slow to import; only runs when a configuration file exists

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return
    messages = []
    for error in errors:
        pointer = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for key in (k for k in error.instance if k not in allowed):
                messages.append(f"{where(pointer + (key,))}: {_dotted(pointer + (key,))}: unknown key"
                                + (f"; expected one of: {', '.join(sorted(allowed))}" if allowed else ""))
            continue
        messages.append(f"{where(pointer)}: {_dotted(pointer) or '(top)'}: {error.message}")
    raise ConfigFileError("\n".join(messages))


def _dotted(pointer: tuple) -> str:
    """``pointer`` as ``a.b[0].c``; each key as :func:`lintra.escape.terminal` writes it, so a
    newline in a key stays inside its message's line."""
    from lintra.escape import terminal

    pointer = tuple(p if isinstance(p, int) else terminal(p) for p in pointer)
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(pointer))


def boundary(config_path: str) -> str:
    """What a repository's configuration file may name: its repository (real path), or its own
    directory when it lies in none."""
    directory = os.path.dirname(os.path.realpath(config_path))
    return repository_root(directory) or directory


def confine(path: str, top: str, where: str, what: str, directory_ok: bool = False) -> str:
    """``path`` (named by a repository's configuration at ``where``) when it is a
    regular file (or, with ``directory_ok``, a directory) inside ``top`` (:func:`boundary`); otherwise a
    :class:`ConfigFileError` at ``where``. A path that does not exist yet passes: its reader says
    so. Scanning a pull request must not read, walk or block on what its configuration points at:
    ``/etc/passwd``, ``/``, ``/dev/zero``, a FIFO, a link out of the repository."""
    import stat

    from lintra.filesystem import special_kind, special_path
    from lintra.repository import is_within

    real = os.path.realpath(path)
    hint = "; a repository's configuration names only files inside it (name others on the command line or in " \
           "your user-level configuration)"
    if not is_within(real, top):
        shown = path if real == os.path.abspath(path) else f"{path} (real path {real})"
        raise ConfigFileError(f"{where}: {what} {shown} lies outside {top}{hint}")
    special = special_path(path)
    if special:
        raise ConfigFileError(f"{where}: {what} {path} is {special}")
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return path
    if stat.S_ISDIR(mode) and directory_ok:
        return path
    kind = special_kind(mode)
    if kind is not None:
        raise ConfigFileError(f"{where}: {what} {path} is {kind}, not a regular file")
    return path
