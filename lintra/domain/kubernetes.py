"""What Kubernetes objects hold: pod specs, pod templates, pod metadata, containers, images, node keys.

A pod spec is recognised by its shape, not by a table of kinds: any mapping whose ``containers`` is
a non-empty list of container mappings (each with ``name`` or ``image``) is a
``core/v1 PodSpec``, and a mapping whose ``spec`` is one is a ``PodTemplateSpec`` with its pod
metadata beside it. Every operator that runs pods embeds one of the two (JobSet
``replicatedJobs[*].template.spec.template``, LeaderWorkerSet ``leaderWorkerTemplate.workerTemplate``,
RayCluster ``headGroupSpec.template``, Kubeflow ``*ReplicaSpecs.*.template``, KServe
``spec.predictor`` which inlines the PodSpec, Flink ``podTemplate``, Spark operator
``driver.template``, Argo ``containerSet``...), so their pods are found at any depth with no code
for the kind. Two more shapes run one pod each without a PodSpec: an Argo Workflows template
(``container`` or ``script``, with ``initContainers`` and ``sidecars``) and a Tekton TaskSpec
(``steps`` and ``sidecars``). Some operators describe their pods with fields of their own rather
than a PodSpec, and those shapes are known here too (``Pod.container_fields`` says where each
keeps its containers; ``SELF`` is the pod mapping standing for its main container):

- a Spark operator SparkApplicationSpec (``sparkVersion`` beside ``driver`` and ``executor``): the
  application's own ``image``, ``nodeSelector`` and ``volumes`` are shared by its pods, and each
  SparkPodSpec (``driver``, ``executor``) is a pod whose ``image``, ``nodeSelector``,
  ``tolerations``, ``affinity``, ``sidecars`` and ``initContainers`` sit in it, with its
  ``labels`` and ``annotations`` as pod metadata;
- a ``podTemplate`` that is no PodTemplateSpec with containers: Tekton's PodTemplate (TaskRun
  ``spec.podTemplate``, PipelineRun ``taskRunTemplate.podTemplate``, ``taskRunSpecs[*].podTemplate``
  or ``taskPodTemplate``) holds PodSpec fields (``nodeSelector``, ``tolerations``, ``volumes``)
  without containers, and Flink's is a PodTemplateSpec that may leave the containers out;
- an Argo WorkflowSpec (``templates`` of Argo templates): its ``nodeSelector``, ``tolerations``,
  ``affinity``, ``volumes`` and ``podMetadata`` apply to every pod of the workflow; and a
  ``podSpecPatch`` (workflow or template) is a PodSpec written as a YAML/JSON string, parsed here
  with the safe loader, bounded (``PATCH_LIMIT`` characters, no aliases, ``PATCH_DEPTH`` levels);
  ``resolve`` reads through it, and a finding inside it is placed at the string;
- a KServe component (``predictor``, ``transformer``, ``explainer``) that serves a ``model`` or a
  framework (``sklearn``, ``tensorflow`` ...) with no ``containers``: the component inlines the
  PodSpec and the model spec is its main container;
- a FlinkDeploymentSpec (``flinkVersion`` and ``image``): the image every Flink pod runs.

The kinds Kubernetes and Knative define keep the exact paths of their API
(``POD_SPEC_PATHS``): a Deployment's template is its pod even before it has containers.

Everything here is a pure function of the object's data; ``pods`` memoises the walk for the
object it saw last (by identity), since the pack selector and several rules ask for the same
object's pods in turn. Objects are not mutated after loading, so the cache never goes stale.

References:
- https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodSpec
- https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-template-v1/#PodTemplateSpec
- https://kubernetes.io/docs/concepts/workloads/pods/#pod-templates
- https://www.kubeflow.org/docs/components/spark-operator/user-guide/writing-sparkapplication/
- https://tekton.dev/docs/pipelines/podtemplates/
- https://argo-workflows.readthedocs.io/en/latest/fields/#workflowspec
- https://kserve.github.io/website/latest/reference/api/#serving.kserve.io/v1beta1.PredictorSpec
- https://nightlies.apache.org/flink/flink-kubernetes-operator-docs-main/docs/custom-resource/pod-template/
"""

from __future__ import annotations

from collections import namedtuple
from functools import lru_cache

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Iterator, Optional, Tuple, TypeAlias

Pointer: TypeAlias = "Tuple[Any, ...]"

#: Where each pod-bearing kind of the core and Knative APIs keeps its pod spec. A Knative Revision
#: inlines the pod spec in ``spec`` (RevisionSpec embeds corev1.PodSpec).
POD_SPEC_PATHS = {
    "Pod": ("spec",),
    "PodTemplate": ("template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "Revision": ("spec",),
}
#: Kinds with the pod spec at ``spec.template.spec``: the workload controllers, Argo Rollouts,
#: Knative Services and Configurations, and OpenShift DeploymentConfigs.
TEMPLATED_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
                             "ReplicationController", "Rollout", "Service", "DeploymentConfig",
                             "Configuration"})
#: Kind names that bear pods only in Knative's API group (a core Service has no pods).
KNATIVE_KINDS = frozenset({"Service", "Configuration", "Revision"})
#: The lists of a PodSpec that hold containers.
CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
#: Objects whose embedded objects are documents of their own (an OpenShift Template's
#: ``objects`` are checked one by one where the Template is expanded), so their pods are not the
#: embedding object's: ``kind -> (apiVersion prefixes, field)``.
EMBEDDING_KINDS = {"Template": (("template.openshift.io/", "v1"), "objects")}


#: API groups of Kubernetes itself without a dot; the others are subdomains of k8s.io.
BUILTIN_GROUPS = frozenset({"", "apps", "batch", "extensions", "policy", "autoscaling"})
#: Projects that are no part of Kubernetes' API but name their CRD group under k8s.io (the Spark
#: operator kept GoogleCloudPlatform's ``sparkoperator.k8s.io`` when it moved to Kubeflow); their
#: objects are searched for pods like any other CRD's.
CRD_GROUPS_UNDER_K8S_IO = frozenset({"sparkoperator.k8s.io"})


def is_builtin_api(api_version: Any) -> bool:
    """Whether ``apiVersion`` belongs to Kubernetes' own API (core, apps, batch, ``*.k8s.io``;
    ``*.x-k8s.io`` are SIG projects' CRDs such as JobSet and LeaderWorkerSet, not built in)."""
    if not isinstance(api_version, str):
        return False
    group = api_version.rpartition("/")[0]
    return group in BUILTIN_GROUPS or (group.endswith(".k8s.io") and group not in CRD_GROUPS_UNDER_K8S_IO)


#: One pod an object stamps out: where its spec is (``spec``, a Pointer), where its metadata is or
#: would be (``metadata``; ``None`` when nothing beside the spec is pod metadata, as in KServe's
#: inlined predictor), and the fields of the spec that hold containers: ``(field, is_list)``
#: (``container_fields``). collections' namedtuple: typing.NamedTuple would import typing.
Pod = namedtuple("Pod", ("spec", "metadata", "container_fields"),
                 defaults=(tuple((f, True) for f in CONTAINER_LISTS),))


#: An Argo Workflows template runs one pod: its ``container`` or ``script`` (single containers),
#: ``initContainers`` and ``sidecars``, with ``nodeSelector``, ``tolerations``, ``volumes`` and
#: pod ``metadata`` beside them.
ARGO_TEMPLATE_CONTAINERS = (("container", False), ("script", False), ("initContainers", True), ("sidecars", True))
#: A Tekton TaskSpec's ``steps`` and ``sidecars`` are the containers of the pod a TaskRun starts.
TEKTON_TASK_CONTAINERS = (("steps", True), ("sidecars", True))
#: A container field naming the pod mapping itself: a SparkPodSpec or a FlinkDeploymentSpec
#: carries its main container's ``image`` (and ``env``, ``securityContext``...) in its own fields.
SELF = ""
#: A SparkPodSpec's containers: itself (the driver or executor container), init containers and sidecars.
SPARK_POD_CONTAINERS = ((SELF, False), ("initContainers", True), ("sidecars", True))
#: The two pods of a Spark application.
SPARK_ROLES = ("driver", "executor")
#: Keys under which operators write a pod template of their own shape (Tekton, Flink).
POD_TEMPLATE_KEYS = ("podTemplate", "taskPodTemplate")
#: PodSpec fields that make a ``podTemplate`` mapping a pod (Tekton's PodTemplate is a subset of them).
POD_SPEC_FIELDS = frozenset({"nodeSelector", "tolerations", "affinity", "volumes", "securityContext",
                             "runtimeClassName", "schedulerName", "priorityClassName", "hostNetwork",
                             "imagePullSecrets", "topologySpreadConstraints", "dnsConfig", "hostAliases",
                             "automountServiceAccountToken", "serviceAccountName", "containers",
                             "initContainers"})
#: KServe components that inline a PodSpec, and the fields of one that are its main container:
#: ``model`` (ModelSpec) or a framework's PredictorExtensionSpec.
KSERVE_COMPONENTS = ("predictor", "transformer", "explainer")
KSERVE_MODEL_FIELDS = ("model", "sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "pmml",
                       "lightgbm", "paddle", "huggingface", "art")
#: Argo template types: a WorkflowSpec's ``templates`` are mappings with a name and one of them.
ARGO_TEMPLATE_TYPES = ("container", "script", "steps", "dag", "resource", "suspend", "containerSet", "http",
                       "plugin", "data")
#: The bounds of a ``podSpecPatch`` string parsed as YAML/JSON: characters, nesting, parse events.
PATCH_LIMIT = 64 * 1024
PATCH_DEPTH = 64
PATCH_EVENTS = 20_000
PATCH_KEY = "podSpecPatch"


def is_container(node: Any) -> bool:
    return isinstance(node, dict) and ("name" in node or "image" in node)


def _container_list(items: Any) -> bool:
    """A non-empty list of container mappings (Flink's pod template names its main container
    without an image: the image is the FlinkDeployment's)."""
    return isinstance(items, list) and bool(items) and all(is_container(c) for c in items)


def is_pod_spec(node: Any) -> bool:
    """Whether ``node`` has a PodSpec's shape: a non-empty ``containers`` list of container mappings."""
    return isinstance(node, dict) and _container_list(node.get("containers"))


def is_pod_template(node: Any) -> bool:
    """Whether ``node`` has a PodTemplateSpec's shape: a pod spec under ``spec``."""
    return isinstance(node, dict) and is_pod_spec(node.get("spec"))


def _argo_template(node: dict) -> bool:
    # ``container``/``script`` is one container mapping with an image; the template names itself
    return isinstance(node.get("name"), str) and any(
        isinstance(node.get(f), dict) and "image" in node[f] for f in ("container", "script"))


def _tekton_task(node: dict) -> bool:
    steps = node.get("steps")
    return _container_list(steps) and all("image" in s or "ref" in s for s in steps)


def _known_pod_spec(data: dict) -> Optional[Pointer]:
    kind = data.get("kind")
    if kind in KNATIVE_KINDS and not str(data.get("apiVersion", "")).startswith("serving.knative.dev/"):
        return None
    path = POD_SPEC_PATHS.get(kind)
    if path is None and kind in TEMPLATED_KINDS:
        path = ("spec", "template", "spec")
    if path is None:
        return None
    node: Any = data
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return path if isinstance(node, dict) else None


def _metadata_beside(spec: Pointer) -> Optional[Pointer]:
    # a PodTemplateSpec (and a Pod) holds ``metadata`` next to ``spec``; an inlined PodSpec has none
    return spec[:-1] + ("metadata",) if spec and spec[-1] == "spec" else None


def _skipped_fields(data: dict) -> Tuple[str, ...]:
    """Top-level fields never holding the object's own pods: its metadata, and embedded documents."""
    skipped = ["metadata"]
    embedding = EMBEDDING_KINDS.get(data.get("kind"))
    if embedding and str(data.get("apiVersion", "")).startswith(embedding[0]):
        skipped.append(embedding[1])
    return tuple(skipped)


def _spark_application(node: dict) -> bool:
    return "sparkVersion" in node and all(isinstance(node.get(role), dict) for role in SPARK_ROLES)


def _argo_workflow(node: dict) -> bool:
    templates = node.get("templates")
    return isinstance(templates, list) and bool(templates) and all(
        isinstance(t, dict) and isinstance(t.get("name"), str) for t in templates) and any(
        any(kind in t for kind in ARGO_TEMPLATE_TYPES) for t in templates)


def _kserve_component(pointer: Pointer, node: dict) -> bool:
    return bool(pointer) and pointer[-1] in KSERVE_COMPONENTS and any(
        isinstance(node.get(f), dict) for f in KSERVE_MODEL_FIELDS)


def _flink_deployment(node: dict) -> bool:
    return "flinkVersion" in node and isinstance(node.get("image"), str)


def _own_pod_template(pointer: Pointer, node: dict) -> Optional[Pod]:
    """A ``podTemplate`` of an operator's own shape (a PodTemplateSpec with containers is found by shape)."""
    if not pointer or pointer[-1] not in POD_TEMPLATE_KEYS:
        return None
    spec = node.get("spec")
    if isinstance(spec, dict):  # Flink: a PodTemplateSpec, maybe without containers
        return Pod(pointer + ("spec",), pointer + ("metadata",))
    if POD_SPEC_FIELDS.intersection(node):  # Tekton: PodSpec fields, no containers
        return Pod(pointer, None, ())
    return None


#: Keys one of which a mapping has when it is or describes a pod (see ``_pods_at``), and the keys
#: a pod-describing mapping may sit under without one: most mappings of a large object (a CRD's
#: schema, a Heat template asked about) have none, and are passed over with one set test.
_POD_SHAPE_KEYS = frozenset({PATCH_KEY, "containers", "container", "script", "steps", "sparkVersion", "templates",
                             "flinkVersion"})
_POD_SHAPE_UNDER = frozenset(KSERVE_COMPONENTS + POD_TEMPLATE_KEYS)


def _pods_at(pointer: Pointer, node: dict) -> Tuple[list, bool]:
    """The pods a mapping is or describes, and whether pods may sit further down in it."""
    if _POD_SHAPE_KEYS.isdisjoint(node) and not (pointer and pointer[-1] in _POD_SHAPE_UNDER):
        return [], True
    found = []
    patch = node.get(PATCH_KEY)
    if isinstance(patch, str) and isinstance(pod_spec_patch(patch), dict):
        found.append(Pod(pointer + (PATCH_KEY,), None))
    if is_pod_spec(node):
        return [Pod(pointer, _metadata_beside(pointer))] + found, False
    if _argo_template(node):
        return [Pod(pointer, pointer + ("metadata",), ARGO_TEMPLATE_CONTAINERS)] + found, False
    if _tekton_task(node):
        return [Pod(pointer, None, TEKTON_TASK_CONTAINERS)] + found, False
    if _kserve_component(pointer, node):
        fields = tuple((f, True) for f in CONTAINER_LISTS) + tuple((f, False) for f in KSERVE_MODEL_FIELDS)
        return [Pod(pointer, None, fields)] + found, False
    own = _own_pod_template(pointer, node)
    if own is not None:
        return [own] + found, False
    if _spark_application(node):
        # the application's shared settings, then the driver's and executor's pods; a SparkPodSpec
        # may also hold a PodTemplateSpec (``template``), found further down
        found = [Pod(pointer, None, ((SELF, False),))] + found + [
            Pod(pointer + (role,), pointer + (role,), SPARK_POD_CONTAINERS) for role in SPARK_ROLES]
    elif _argo_workflow(node):
        found = [Pod(pointer, pointer + ("podMetadata",), ())] + found
    elif _flink_deployment(node):
        found = [Pod(pointer, None, ((SELF, False),))] + found
    return found, True


def find_pods(data: Any) -> Tuple[Pod, ...]:
    """Every pod of an object, in document order (not memoised: see ``pods``)."""
    if not isinstance(data, dict):
        return ()
    known = _known_pod_spec(data)
    if known is not None:
        return (Pod(known, _metadata_beside(known)),)
    if is_builtin_api(data.get("apiVersion")) or data.get("kind") in KNATIVE_KINDS:
        # every pod-bearing kind of Kubernetes' own APIs is in the table, and a kind named like
        # Knative's outside its group is no workload (a core Service has no pods)
        return ()
    found = []
    skipped = _skipped_fields(data)
    # only mappings and lists can hold pods: scalars are not put on the stack at all
    stack: list = [((k,), v) for k, v in reversed(list(data.items()))
                   if k not in skipped and isinstance(v, (dict, list))]
    containers = (dict, list)
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            # the test _pods_at starts with, here: most mappings of a large object are passed over
            if not _POD_SHAPE_KEYS.isdisjoint(node) or pointer[-1] in _POD_SHAPE_UNDER:
                here, descend = _pods_at(pointer, node)
                found.extend(here)
                if not descend:
                    continue
            below = [(pointer + (k,), v) for k, v in node.items() if isinstance(v, containers)]
        else:
            below = [(pointer + (i,), v) for i, v in enumerate(node) if isinstance(v, containers)]
        below.reverse()
        stack.extend(below)
    return tuple(found)


def pod_spec_patch(text: str) -> Optional[dict]:
    """The PodSpec an Argo ``podSpecPatch`` string holds (YAML or JSON), or None when it is not one,
    is too large or deep, uses aliases (a bomb's tool), or does not parse (``{{...}}`` templating
    left unquoted is a flow mapping YAML refuses)."""
    if len(text) > PATCH_LIMIT:
        return None
    return _parse_patch(text)


@lru_cache(maxsize=128)
def _parse_patch(text: str) -> Optional[dict]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    depth = events = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            events += 1
            if events > PATCH_EVENTS or isinstance(event, yaml.AliasEvent):
                return None
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > PATCH_DEPTH:
                    return None
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        data = yaml.load(text, Loader=loader)
    except (yaml.YAMLError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


_last: Tuple[Any, Tuple[Pod, ...]] = (None, ())


def pods(data: Any) -> Tuple[Pod, ...]:
    """``find_pods(data)``, computed once for the object asked about last."""
    global _last
    seen, result = _last
    if seen is not data or data is None:
        result = find_pods(data)
        _last = (data, result)
    return result


def pod_spec_pointer(data: Any) -> Optional[Pointer]:
    """The pointer to an object's first pod spec, or None when it bears no pods."""
    found = pods(data)
    return found[0].spec if found else None


def resolve(data: Any, pointer: Pointer) -> Any:
    """The node at ``pointer`` in ``data``, or None; a ``podSpecPatch`` string resolves to the
    PodSpec it holds, so pointers into a patch resolve like any other."""
    node = data
    for part in pointer:
        if isinstance(node, dict):
            node = node.get(part)
            if part == PATCH_KEY and isinstance(node, str):
                node = pod_spec_patch(node)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def pod_containers(spec: Any, fields=Pod((), None).container_fields) -> Iterator[Tuple[Pointer, Any]]:
    """``(pointer relative to the pod spec, container)`` of every container of one pod spec."""
    if isinstance(spec, dict):
        for field, is_list in fields:
            if field == SELF:
                yield (), spec
                continue
            items = spec.get(field)
            if is_list and isinstance(items, list):
                for i, item in enumerate(items):
                    yield (field, i), item
            elif not is_list and isinstance(items, dict):
                yield (field,), items


def containers(data: Any) -> Iterator[Tuple[Pointer, Any]]:
    """``(pointer, container)`` of every container of every pod of an object."""
    for pod in pods(data):
        spec = resolve(data, pod.spec)
        for pointer, container in pod_containers(spec, pod.container_fields):
            yield pod.spec + pointer, container


def pod_metadata(data: Any) -> Iterator[Tuple[Pointer, dict]]:
    """``(pointer, metadata)`` of the metadata of every pod of an object that has it written."""
    for pod in pods(data):
        if pod.metadata is not None:
            node = resolve(data, pod.metadata)
            if isinstance(node, dict):
                yield pod.metadata, node


def flag_values(items: Any, flag: str) -> Iterator[Tuple[int, str, bool]]:
    """``(index, value, after_equals)`` of each value of the command-line flag ``flag``
    (``--name``) in a container's ``command`` or ``args`` list, as Go's flag package and
    Kubernetes components read them: the ``--name=VALUE`` item (``after_equals``: the value is
    the item's part after ``=``, quotes around it dropped), or the item after a ``--name`` item."""
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        if not isinstance(item, str):
            continue
        if item.startswith(flag + "="):
            yield i, item[len(flag) + 1:].strip().strip("'\""), True
        elif item == flag and i + 1 < len(items) and isinstance(items[i + 1], str):
            yield i + 1, items[i + 1].strip(), False


def has_flag(items: Any, flag: str) -> bool:
    """Whether a ``command`` or ``args`` list gives the flag ``flag`` (``--name`` or ``--name=...``)."""
    return isinstance(items, list) and any(isinstance(item, str) and (item == flag or item.startswith(flag + "="))
                                           for item in items)


def images(data: Any) -> Iterator[Tuple[Pointer, str]]:
    """``(pointer, image)`` of every container image of an object."""
    for pointer, container in containers(data):
        image = container.get("image") if isinstance(container, dict) else None
        if isinstance(image, str):
            yield pointer + ("image",), image


def image_name(image: str) -> str:
    """The name of an image reference ``[HOST[:PORT]/]PATH/NAME[:TAG][@DIGEST]``: the last path
    segment of its repository, without tag or digest (``azuredisk-csi`` of
    ``mcr.microsoft.com/oss/kubernetes-csi/azuredisk-csi:v1.30.3``). The repository ends at the
    first ``:`` or ``@`` after the host, so a registry port is not read as a tag."""
    slash = image.find("/")
    ends = [i for i in (image.find(":", slash + 1), image.find("@", slash + 1)) if i >= 0]
    repository = image[:min(ends)] if ends else image
    return repository.rpartition("/")[2]


#: Where a pod spec names node label and taint keys: node selector and affinity terms,
#: (anti-)affinity and spread topology keys, tolerations. ``[*]`` is every list item; a path ending
#: in ``*`` names the key of each entry (nodeSelector maps label to value), the others end at the
#: key string itself.
POD_NODE_KEYS = (
    ("nodeSelector", "*"),
    ("affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", "[*]",
     "matchExpressions", "[*]", "key"),
    ("affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution", "[*]", "preference",
     "matchExpressions", "[*]", "key"),
    ("affinity", "podAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "[*]", "topologyKey"),
    ("affinity", "podAffinity", "preferredDuringSchedulingIgnoredDuringExecution", "[*]", "podAffinityTerm",
     "topologyKey"),
    ("affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "[*]", "topologyKey"),
    ("affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution", "[*]", "podAffinityTerm",
     "topologyKey"),
    ("topologySpreadConstraints", "[*]", "topologyKey"),
    ("tolerations", "[*]", "key"),
)
#: Objects other than pods that constrain nodes: ``kind -> (apiVersion prefix, paths)``.
OBJECT_NODE_KEYS = {
    "StorageClass": ("storage.k8s.io/", (("allowedTopologies", "[*]", "matchLabelExpressions", "[*]", "key"),)),
    "PersistentVolume": ("v1", (("spec", "nodeAffinity", "required", "nodeSelectorTerms", "[*]",
                                 "matchExpressions", "[*]", "key"),)),
    "RuntimeClass": ("node.k8s.io/", (("scheduling", "nodeSelector", "*"), ("scheduling", "tolerations", "[*]", "key"))),
    "NodePool": ("karpenter.sh/", (("spec", "template", "spec", "requirements", "[*]", "key"),)),
    "NodeClaim": ("karpenter.sh/", (("spec", "requirements", "[*]", "key"),)),
    "Provisioner": ("karpenter.sh/", (("spec", "requirements", "[*]", "key"),)),
}


def _walk(node: Any, path: Tuple[str, ...], pointer: Pointer) -> Iterator[Tuple[Pointer, Any, Any]]:
    if not path:
        yield pointer, (pointer[-1] if pointer else None), node
        return
    head, rest = path[0], path[1:]
    if head == "[*]":
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from _walk(item, rest, pointer + (i,))
    elif head == "*":
        if isinstance(node, dict):
            for k, v in node.items():
                yield from _walk(v, rest, pointer + (k,))
    elif isinstance(node, dict) and head in node:
        yield from _walk(node[head], rest, pointer + (head,))


def may_name_node_keys(data: Any) -> bool:
    """False when :func:`node_keys` finds nothing in ``data`` for want of a place to look: the
    object has no pods and is of no kind that constrains nodes."""
    if not isinstance(data, dict):
        return False
    if pods(data):
        return True
    api, paths = OBJECT_NODE_KEYS.get(data.get("kind"), (None, None))
    return bool(paths) and str(data.get("apiVersion", "")).startswith(api)


def has_pods(data: Any) -> bool:
    return bool(pods(data))


#: The parts of an object a rule may say its findings lie under (:attr:`lintra.Rule.finds_under`),
#: each with the test of whether an object has that part: its pods (with their containers and
#: pod metadata), and the node keys it names.
PODS = "@pods"
NODE_KEYS = "@nodekeys"
PARTS = {PODS: has_pods, NODE_KEYS: may_name_node_keys}


def node_keys(data: Any) -> Iterator[Tuple[Pointer, Any, str]]:
    """``(pointer, key, label)`` of every node label or taint key an object schedules or
    provisions against: in each of its pods, and in the fields of the kinds that constrain nodes."""
    if not isinstance(data, dict):
        return
    scopes = [(pod.spec, POD_NODE_KEYS) for pod in pods(data)]
    api, paths = OBJECT_NODE_KEYS.get(data.get("kind"), (None, None))
    if paths and str(data.get("apiVersion", "")).startswith(api):
        scopes.append(((), paths))
    for base, entries in scopes:
        node = resolve(data, base)
        for path in entries:
            names_key = path[-1] == "*"
            for pointer, key, value in _walk(node, path, base):
                label = key if names_key else value
                if isinstance(label, str):
                    yield pointer, key, label


#: Cluster-scoped kinds of the Kubernetes API and common add-ons (everything else is namespaced, as
#: kustomize assumes for kinds it has no schema for): https://kubernetes.io/docs/reference/kubernetes-api/
CLUSTER_SCOPED_KINDS = frozenset({
    "Namespace", "Node", "PersistentVolume", "StorageClass", "CSIDriver", "CSINode", "VolumeAttachment",
    "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "APIService",
    "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding", "PriorityClass", "RuntimeClass", "IngressClass", "PodSecurityPolicy",
    "CertificateSigningRequest", "VolumeSnapshotClass", "VolumeSnapshotContent", "ClusterIssuer",
    "SecurityContextConstraints", "GatewayClass", "ComponentStatus",
})

#: ``patchMergeKey`` of the Kubernetes API's list fields (the struct tags of k8s.io/api types), by field
#: name: strategic merge patches merge these lists element by element
PATCH_MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "volumes": "name",
    "env": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath", "imagePullSecrets": "name",
    "hostAliases": "ip", "topologySpreadConstraints": "topologyKey", "resourceClaims": "name",
    "conditions": "type", "readinessGates": "conditionType",
}
