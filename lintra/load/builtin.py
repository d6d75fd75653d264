"""Built-in plugin: YAML and JSON readers and the Heat / Kubernetes document detectors."""

from __future__ import annotations

import os

from lintra.hookspecs import hookimpl
from lintra.load import Detected, Detector, LoadError, Loader, Skip
from lintra.load import jsontree, templates, yamltree
from lintra.model import Source, Span

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Optional

#: Suffixes read as YAML. Heat templates are often ``.template``/``.hot``, environments ``.env``.
YAML_SUFFIXES = (".yaml", ".yml", ".hot", ".template", ".env")
#: For these, content that does not parse is usually something else (a dotenv file, a text
#: template) rather than a broken infrastructure file.
_AMBIGUOUS_SUFFIXES = (".template", ".env")
_HEAT_MARKERS = ("heat_template_version", "AWSTemplateFormatVersion", "HeatTemplateFormatVersion",
                 "resource_registry", "parameter_defaults")


def load_yaml(source: Source, text: str):
    reason = templates.template_reason(source, text)
    if reason:
        raise Skip(reason)
    if text.lstrip()[:1] in ("{", "[") and not source.name.lower().endswith((".yaml", ".yml")):
        try:
            return [jsontree.parse(text)]
        except jsontree.JsonSyntaxError:
            pass  # flow-style YAML, not JSON: fall through
    return _yaml_documents(source, text)


def _yaml_documents(source: Source, text: str):
    """The file's documents one at a time, as :func:`lintra.load.load_source` checks them."""
    memo = _kustomize_memo(source, text)
    try:
        if memo is None:
            yield from yamltree.stream(text)
        else:
            yield from _remembered(memo, text)
    except yamltree.YamlSyntaxError as error:
        reason = templates.failed_parse_reason(text)
        if reason:
            raise Skip(reason) from None
        if source.name.lower().endswith(_AMBIGUOUS_SUFFIXES) and not any(m in text for m in _HEAT_MARKERS):
            raise Skip("not YAML or JSON (" + str(error).split("\n")[0] + ")") from None
        raise LoadError("LT000", f"YAML syntax error: {error}", Span(error.line, error.column)) from None


#: directory -> whether it holds a kustomization (asked once per directory of YAML files)
_KUSTOMIZED: dict = {}


def _kustomize_memo(source: Source, text: str):
    """The Kustomize reader's memo of parsed texts (:func:`lintra.load.kustomize.files.recall`)
    when a build is likely to read this file too (a kustomization lies beside it), else None."""
    if source.path is None or len(text) > _MEMO_CHARS or not source.name.lower().endswith((".yaml", ".yml")):
        return None
    directory = os.path.dirname(source.path)
    beside = _KUSTOMIZED.get(directory)
    if beside is None:
        from lintra.load.kustomize.files import kustomization_file

        if len(_KUSTOMIZED) >= 4096:
            _KUSTOMIZED.clear()
        beside = _KUSTOMIZED[directory] = kustomization_file(directory or ".") is not None
    if not beside:
        return None
    from lintra.load.kustomize import files

    return files


#: texts past this are not remembered (:data:`lintra.load.kustomize.files.PARSED_MEMO_CHARS` / 4)
_MEMO_CHARS = 128 * 1024


def _remembered(memo, text: str):
    """:func:`yamltree.stream`, from the memo when a build parsed the text before, else
    remembered for the build that reads it next (positions settled as each document is read:
    the same spans as off the live node tree)."""
    found = memo.recall(text)
    if found is not None:
        yield from found
        return
    import marshal

    documents = []
    for data, locator in yamltree.stream(text):
        locator.settle()
        documents.append((marshal.dumps(data), locator.root))
        yield data, locator
    memo.remember(text, documents)


def load_json(source: Source, text: str):
    try:
        return jsontree.parse_all(text)
    except jsontree.JsonSyntaxError as error:
        raise LoadError("LT000", f"JSON syntax error: {error}", Span(error.line, error.column)) from None


def _sniff_yaml(head: bytes) -> bool:
    return True  # standard input that no other loader claims is read as YAML (JSON is YAML too)


# --- detectors ---------------------------------------------------------------------------------

HEAT_ENV_KEYS = frozenset({"parameters", "parameter_defaults", "resource_registry", "event_sinks",
                           "encrypted_param_names", "parameter_merge_strategies"})


def detect_heat(data: Any) -> Optional[Detected]:
    if isinstance(data, dict) and "heat_template_version" in data:
        return [("heat", data, ())]
    return None


def detect_cfn(data: Any) -> Optional[Detected]:
    if isinstance(data, dict) and ("AWSTemplateFormatVersion" in data or "HeatTemplateFormatVersion" in data):
        return [("cfn", data, ())]
    return None


def detect_heat_env(data: Any) -> Optional[Detected]:
    if isinstance(data, dict) and data and HEAT_ENV_KEYS.issuperset(data) and \
            all(value is None or isinstance(value, (dict, list)) for value in data.values()):
        return [("heat-env", data, ())]
    return None


def _is_k8s(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("apiVersion"), str) and \
        isinstance(data.get("kind"), str)


def detect_k8s(data: Any) -> Optional[Detected]:
    if not _is_k8s(data):
        return None
    if data["kind"] == "Template":
        from lintra.load import openshift
        if openshift.is_template(data):  # like a List, a container: each object is checked on its own
            return openshift.expand(data, _is_k8s)
    items = data.get("items")
    if data["kind"].endswith("List") and isinstance(items, list):
        # A List is a container, not an object: each item is checked (and located) on its own.
        return [("k8s", item, ("items", i)) for i, item in enumerate(items) if _is_k8s(item)]
    return [("k8s", data, ())]


@hookimpl
def register_loaders(register):
    register(Loader("yaml", YAML_SUFFIXES, load_yaml, sniff=_sniff_yaml, cache_key=templates.surroundings))
    register(Loader("json", (".json",), load_json, sniff=lambda head: head.lstrip()[:1] in (b"{", b"["),
                    cache_key=_alone))
    register(Loader("helm", ("chart.yaml",), _load_chart, options=True))


def _alone(source: Source) -> str:
    return ""  # what the reader makes of a file depends on its bytes and name only


def _load_chart(source: Source, text: str, options):
    from lintra.load.helm import load_chart  # lazy: only runs that meet a chart pay for it

    return load_chart(source, text, options)


@hookimpl
def register_detectors(register):
    register(Detector("heat", detect_heat))
    register(Detector("cfn", detect_cfn))
    register(Detector("heat-env", detect_heat_env))
    register(Detector("k8s", detect_k8s))
