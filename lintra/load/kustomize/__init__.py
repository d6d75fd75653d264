"""Built-in plugin: Kustomize roots built natively (no kustomize binary), with every value's origin.

A file named ``kustomization.yaml``, ``kustomization.yml`` or ``Kustomization`` (with or without
``apiVersion``/``kind``) is a root. Its build (:mod:`lintra.load.kustomize.build`) yields the
objects ``kustomize build`` would, as Kubernetes documents whose locator maps each value to the
file and line that wrote it: the base file's line, the overlay's ``newName:`` for an image it
overrides, the patch's line for a value a patch sets, the generator's literal for generated data.
Findings therefore land where a user edits, with the root kustomization as a related location.

A base read directly and again through overlays reports its own coupling once: findings of built
objects that land on a place another finding of the same rule already holds are merged into it
(see :mod:`lintra.filter.duplicates`), so only what an overlay itself writes adds findings.

Files the build reads are accounted for in the run's file list (``read by the build of ...``);
what was skipped or not honoured (remote resources, charts not in the repository, plugins, ``crds`` and
``openapi`` schemas, ...) is said in the root's record at its line, and a
build kustomize would refuse is an ``LT005`` finding at the root's line that leads to the problem.
"""

from __future__ import annotations

import os

from lintra.hookspecs import hookimpl
from lintra.load import Built, LoadError, Loader
from lintra.load.limits import LimitExceeded
from lintra.model import Document, FileRecord, Related, Source, Span

#: suffixes the loader claims; the longest-suffix rule gives it precedence over ``.yaml``
SUFFIXES = ("kustomization.yaml", "kustomization.yml", "kustomization")


def load_kustomization(source: Source, text: str):
    from lintra.load.kustomize.files import KUSTOMIZATION_NAMES

    if source.path is None or os.path.basename(source.name) not in KUSTOMIZATION_NAMES:
        from lintra.load.builtin import load_yaml
        return load_yaml(source, text)  # ``my-kustomization.yaml`` is an ordinary YAML file
    return build_source(source)


def build_source(source: Source) -> Built:
    from lintra.load.kustomize.build import Builder, BuildError, BuildLimit
    from lintra.load.kustomize.files import Place, SyntaxProblem
    from lintra.load.kustomize.tree import TracedLocator, plain
    from lintra.repository import repository_root

    directory = Place(os.path.dirname(source.name) or ".", os.path.dirname(source.path) or ".")
    real = os.path.realpath(source.path)
    boundary = repository_root(real) or os.path.dirname(real)
    builder = Builder(boundary)
    try:
        resources = builder.build_root(directory)
    except BuildLimit as error:
        span = _span(error, source)
        raise LimitExceeded(f"kustomization not built: {error.message}", span.line, span.column) from None
    except SyntaxProblem as error:
        if error.origin is None:  # the root kustomization itself does not parse
            raise LoadError("LT000", f"YAML syntax error: {error.message.split(': YAML syntax error: ')[-1]}",
                            Span(error.line, error.column)) from None
        raise LoadError("LT005", f"kustomization cannot be built: {error.message}", _span(error, source)) from None
    except BuildError as error:
        raise LoadError("LT005", f"kustomization cannot be built: {error.message}", _span(error, source)) from None
    except RecursionError:
        raise LimitExceeded("kustomization not built: its objects nest too deeply") from None
    documents = []
    for resource in resources:
        data = plain(resource.node)
        if not (isinstance(data, dict) and isinstance(data.get("apiVersion"), str)
                and isinstance(data.get("kind"), str)):
            continue
        entry = resource.entry
        related = [Related(f"built by kustomization {source.name}", source.name,
                           entry.span("value") if entry is not None else Span(1, 1))]
        documents.append(Document(source, len(documents), "k8s", data, TracedLocator(resource.node, related)))
    reason = f"kustomization built: {len(documents)} object(s) from {len(builder.files)} file(s)"
    if builder.notes:
        reason += "; " + "; ".join(builder.notes)
    files = [FileRecord(name, "scanned", ("k8s",), reason=f"read by the build of {source.name}")
             for name in builder.files if name != source.name]
    return Built(documents, reason, files)


def _span(error, source: Source) -> Span:
    origin = error.origin
    if origin is None or origin.part.file != source.name:
        return Span(1, 1)
    span = origin.span("value")
    span.file = None
    return span


@hookimpl
def register_loaders(register):
    register(Loader("kustomize", SUFFIXES, load_kustomization))
