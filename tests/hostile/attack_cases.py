"""An independent attack on lintra (issue 13): hostile inputs not described in the issue's classes.

Each case builds a repository under a directory (``repo/`` with ``.git``; ``outside/`` beside it
holds a canary file that nothing may read or echo) and says which paths to check. :func:`attack`
runs ``lintra check`` on it in every output format (and the audit's HTML and Markdown where the
case asks) under ``LANG=C.UTF-8``, a timeout and an address-space cap, and lists what is wrong:
a traceback, a hang, an exit code outside 0/1/2, more than 500 MB peak RSS, an output that does not
parse, a file of the tree missing from the JSON ``files`` list, the canary in any output, or a
raw control character in the text or GitHub output.

``python -m tests.hostile.attack_cases`` runs every case and prints a line per case;
``tests/hostile/test_attack.py`` keeps the cases that found a failure as regression tests.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import resource
import socket
import subprocess
import sys
import tarfile
import time
import xml.etree.ElementTree as ET
import zipfile
from typing import Callable, Dict, List, Optional, Sequence, Tuple

CANARY = "CANARY-SECRET-7d1f"
MEMORY_CAP = 1 << 30
PEAK_BOUND_MB = 500
FORMATS = ("json", "text", "sarif", "junit", "github", "gitlab")
_CONTROL = set(chr(c) for c in list(range(0, 9)) + list(range(11, 32)) + list(range(0x7f, 0xa0)))
K8S = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  a: b\n"
SC = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: {name}\nprovisioner: csi.vsphere.vmware.com\n"
POD = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  annotations:\n    {key}: x\nspec:\n  containers:\n"
       "  - name: c\n    image: {image}\n")
HEAT = "heat_template_version: 2018-08-31\nresources:\n"
CHART = "apiVersion: v2\nname: c\nversion: 1.0.0\n"
WEIRD = "\u202egnp.exe\x1b]8;;http://evil\x07x\x1b[31m\n::error file=a::pwn\r|@team<script>x</script>]]>&amp;"

Case = Callable[[str], Tuple[Sequence[str], Sequence[str]]]
CASES: Dict[str, Case] = {}


def case(function: Case) -> Case:
    CASES[function.__name__] = function
    return function


def w(path: str, data, mode: str = "w") -> str:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    if isinstance(data, bytes):
        mode = "wb"
    with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as handle:
        handle.write(data)
    return path


def tgz(members: Dict[str, bytes], compress: bool = True, kinds: Optional[Dict[str, bytes]] = None,
        links: Optional[Dict[str, str]] = None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz" if compress else "w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return buffer.getvalue()


def chart(repo: str, templates: Dict[str, str], values: str = "a: 1\n", name: str = "chart") -> str:
    root = os.path.join(repo, name)
    w(os.path.join(root, "Chart.yaml"), CHART)
    w(os.path.join(root, "values.yaml"), values)
    for rel, text in templates.items():
        w(os.path.join(root, "templates", rel), text)
    return root


def bomb_yaml(levels: int = 9, width: int = 10) -> str:
    lines = ["a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def kustomization(directory: str, text: str) -> None:
    w(os.path.join(directory, "kustomization.yaml"), text)


def pack(rule_match: str, message: str = "named {value}", extra: str = "") -> str:
    return ("pack: {name: org, version: 1}\nrules:\n  - id: ORG001\n    name: org-rule\n    title: t\n"
            "    vendor: other\n    category: storage\n    strength: soft\n    severity: error\n    kinds: [k8s]\n"
            f"    rationale: r\n    remediation: m\n    match: {rule_match}\n    message: {json.dumps(message)}\n{extra}")


# --- Helm ------------------------------------------------------------------------------------

@case
def helm_values_alias_bomb(repo):
    chart(repo, {"cm.yaml": K8S.format(name="{{ .Values.a8 | toYaml | quote }}")}, bomb_yaml())
    return ["."], []


@case
def helm_values_recursive_alias(repo):
    chart(repo, {"cm.yaml": K8S.format(name="{{ toYaml .Values.x | quote }}")}, "x: &a {y: *a}\n")
    return ["."], []


@case
def helm_values_merge_key_bomb(repo):
    lines = ["b0: &b0 {k0: v}"] + [f"b{n}: &b{n} {{<<: [*b{n - 1}, *b{n - 1}], k{n}: v}}" for n in range(1, 30)]
    chart(repo, {"cm.yaml": K8S.format(name="{{ .Values.b29 | toYaml | quote }}")}, "\n".join(lines) + "\n")
    return ["."], []


@case
def helm_deep_parentheses(repo):
    chart(repo, {"cm.yaml": K8S.format(name="{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}")})
    return ["."], []


@case
def helm_deep_ifs(repo):
    chart(repo, {"cm.yaml": "{{ if true }}" * 3000 + K8S.format(name="x") + "{{ end }}" * 3000})
    return ["."], []


@case
def helm_recursive_template(repo):
    chart(repo, {"_h.tpl": '{{ define "a" }}{{ template "b" . }}{{ end }}{{ define "b" }}{{ template "a" . }}{{ end }}',
                 "cm.yaml": K8S.format(name='{{ template "a" . }}')})
    return ["."], []


@case
def helm_tpl_recursion_through_values(repo):
    chart(repo, {"cm.yaml": K8S.format(name="{{ tpl .Values.x . }}")}, 'x: "{{ tpl .Values.x . }}"\n')
    return ["."], []


@case
def helm_printf_width_bomb(repo):
    chart(repo, {"cm.yaml": K8S.format(name='{{ printf "%0999999999d" 1 }}')})
    return ["."], []


@case
def helm_printf_star_width(repo):
    chart(repo, {"cm.yaml": K8S.format(name='{{ printf "%*d" 999999999 1 }}')})
    return ["."], []


@case
def helm_repeat_bomb(repo):
    chart(repo, {"cm.yaml": K8S.format(name='{{ repeat 999999999 "x" }}')})
    return ["."], []


@case
def helm_indent_bomb(repo):
    chart(repo, {"cm.yaml": K8S.format(name='{{ "x" | indent 999999999 }}')})
    return ["."], []


@case
def helm_nested_repeat(repo):
    chart(repo, {"cm.yaml": K8S.format(name='{{ repeat 100000 (repeat 100000 "x") }}')})
    return ["."], []


@case
def helm_doubling_variable(repo):
    chart(repo, {"cm.yaml": K8S.format(name='{{ $s := "x" }}{{ range until 60 }}{{ $s = cat $s $s }}{{ end }}{{ len $s }}')})
    return ["."], []


@case
def helm_self_nesting_list(repo):
    chart(repo, {"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "
                            '{{ $l := list 1 }}{{ range until 60 }}{{ $l = list $l $l }}{{ end }}{{ toJson $l | quote }}\n'
                            '  b: {{ toYaml $l | quote }}\n'})
    return ["."], []


@case
def helm_huge_until(repo):
    chart(repo, {"cm.yaml": K8S.format(name='{{ range until 999999999 }}x{{ end }}')})
    return ["."], []


@case
def helm_seq_bomb(repo):
    chart(repo, {"cm.yaml": K8S.format(name='{{ seq 1 999999999 }}')})
    return ["."], []


@case
def helm_negative_args(repo):
    chart(repo, {"cm.yaml": K8S.format(name='{{ trunc -5 "abc" }}{{ substr -3 -1 "abc" }}{{ until -4 }}{{ repeat -1 "x" }}')})
    return ["."], []


@case
def helm_include_in_nested_range(repo):
    chart(repo, {"_h.tpl": '{{ define "x" }}{{ range until 1000 }}y{{ end }}{{ end }}',
                 "cm.yaml": K8S.format(name='{{ range until 1000 }}{{ include "x" . }}{{ end }}')})
    return ["."], []


@case
def helm_fromyaml_bomb(repo):
    chart(repo, {"cm.yaml": K8S.format(name="{{ (fromYaml .Values.s).a8 | toString | quote }}")},
          "s: " + json.dumps(bomb_yaml()) + "\n")
    return ["."], []


@case
def helm_fromjson_deep(repo):
    chart(repo, {"cm.yaml": K8S.format(name="{{ fromJson .Values.s | toString | quote }}")},
          "s: " + json.dumps("[" * 100000 + "]" * 100000) + "\n")
    return ["."], []


@case
def helm_toyaml_deep_values(repo):
    values = "v:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 250)) + "  " * 250 + "z: 1\n"
    chart(repo, {"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n{{ toYaml .Values.v | indent 2 }}\n"},
          values)
    return ["."], []


@case
def helm_regex_functions(repo):
    chart(repo, {"cm.yaml": K8S.format(name='{{ regexReplaceAll "(a+)+$" (repeat 50 "a") "b" }}{{ regexMatch "(?=x)" "x" }}')})
    return ["."], []


@case
def helm_unknown_and_crypto_functions(repo):
    chart(repo, {"cm.yaml": K8S.format(name='{{ genPrivateKey "rsa" }}{{ lookup "v1" "Secret" "" "" }}{{ nosuch 1 }}')})
    return ["."], []


@case
def helm_template_nul_and_invalid_utf8(repo):
    root = chart(repo, {})
    w(os.path.join(root, "templates", "cm.yaml"), b"apiVersion: v1\nkind: ConfigMap\x00\nmetadata:\n  name: \xff\xfe\n")
    return ["."], []


@case
def helm_template_symlink_out(repo):
    root = chart(repo, {})
    os.makedirs(os.path.join(root, "templates"), exist_ok=True)
    os.symlink(os.path.join(repo, "..", "outside", "canary.yaml"), os.path.join(root, "templates", "cm.yaml"))
    return ["."], []


@case
def helm_templates_dir_symlink_out(repo):
    root = chart(repo, {})
    os.rmdir(os.path.join(root, "templates")) if os.path.isdir(os.path.join(root, "templates")) else None
    os.symlink(os.path.join(repo, "..", "outside"), os.path.join(root, "templates"))
    return ["."], []


@case
def helm_values_symlink_out(repo):
    root = chart(repo, {"cm.yaml": K8S.format(name="{{ .Values.a }}")})
    os.unlink(os.path.join(root, "values.yaml"))
    os.symlink(os.path.join(repo, "..", "outside", "canary.yaml"), os.path.join(root, "values.yaml"))
    return ["."], []


@case
def helm_tgz_path_traversal(repo):
    root = chart(repo, {"cm.yaml": K8S.format(name="x")})
    w(os.path.join(root, "charts", "sub.tgz"), tgz({"sub/Chart.yaml": CHART.encode(),
                                                   "sub/../../../../evil.yaml": K8S.format(name="evil").encode(),
                                                   "../../escape/templates/x.yaml": b"x: 1\n"}))
    return ["."], []


@case
def helm_tgz_absolute_members(repo):
    root = chart(repo, {})
    w(os.path.join(root, "charts", "sub.tgz"), tgz({"/etc/sub/Chart.yaml": CHART.encode(),
                                                   "/etc/sub/templates/x.yaml": K8S.format(name="abs").encode()}))
    return ["."], []


@case
def helm_tgz_symlink_member(repo):
    root = chart(repo, {})
    w(os.path.join(root, "charts", "sub.tgz"), tgz({"sub/Chart.yaml": CHART.encode()},
                                                  links={"sub/templates/x.yaml": "/etc/passwd",
                                                         "sub/values.yaml": "../../../outside/canary.yaml"}))
    return ["."], []


@case
def helm_tgz_gzip_bomb_of_skipped_members(repo):
    root = chart(repo, {})
    zeros = b"\0" * (6 << 20)
    w(os.path.join(root, "charts", "sub.tgz"), tgz({"sub/Chart.yaml": CHART.encode(),
                                                   **{f"sub/templates/{i}.yaml": zeros for i in range(40)}}))
    return ["."], []


@case
def helm_tgz_truncated(repo):
    root = chart(repo, {})
    data = tgz({"sub/Chart.yaml": CHART.encode(), "sub/templates/x.yaml": (K8S.format(name="t") * 200).encode()})
    w(os.path.join(root, "charts", "sub.tgz"), data[: len(data) // 2])
    return ["."], []


@case
def helm_tgz_random_bytes(repo):
    root = chart(repo, {})
    w(os.path.join(root, "charts", "sub.tgz"), os.urandom(4096))
    return ["."], []


@case
def helm_tgz_nested_deep(repo):
    inner = tgz({"s9/Chart.yaml": CHART.encode(), "s9/templates/x.yaml": SC.format(name="deep").encode()})
    for n in range(8, -1, -1):
        inner = tgz({f"s{n}/Chart.yaml": CHART.encode(), f"s{n}/charts/s{n + 1}.tgz": inner})
    root = chart(repo, {})
    w(os.path.join(root, "charts", "s0.tgz"), inner)
    return ["."], []


@case
def helm_tgz_many_tiny_members(repo):
    root = chart(repo, {})
    w(os.path.join(root, "charts", "sub.tgz"), tgz({"sub/Chart.yaml": CHART.encode(),
                                                   **{f"sub/templates/{i}.yaml": b"" for i in range(6000)}}))
    return ["."], []


@case
def helm_chart_yaml_is_a_list(repo):
    root = chart(repo, {"cm.yaml": K8S.format(name="x")})
    w(os.path.join(root, "Chart.yaml"), "- a\n- b\n")
    return ["."], []


@case
def helm_dependencies_of_odd_types(repo):
    root = chart(repo, {"cm.yaml": K8S.format(name="x")})
    w(os.path.join(root, "Chart.yaml"), CHART + "dependencies: [5, null, {name: [1]}, {name: x, condition: {a: 1}, "
                                                "tags: 7, alias: [], repository: 9}]\n")
    return ["."], []


@case
def helm_file_dependency_to_etc(repo):
    root = chart(repo, {"cm.yaml": K8S.format(name="x")})
    w(os.path.join(root, "Chart.yaml"), CHART + "dependencies:\n- name: etc\n  repository: file:///etc\n"
                                                "- name: out\n  repository: file://../../outside\n")
    return ["."], []


@case
def helm_file_dependency_cycle(repo):
    root = chart(repo, {"cm.yaml": K8S.format(name="x")})
    w(os.path.join(root, "Chart.yaml"), CHART + "dependencies:\n- name: c\n  repository: file://.\n")
    return ["."], []


@case
def helm_huge_values(repo):
    chart(repo, {"cm.yaml": K8S.format(name="x")}, "a: " + "x" * (5 << 20) + "\n")
    return ["."], []


@case
def helm_values_with_weird_keys(repo):
    chart(repo, {"cm.yaml": K8S.format(name="{{ .Values | toString | quote }}")},
          "? [a, b]\n: 1\n? {x: 1}\n: 2\n1.5: f\nnull: n\ntrue: t\n")
    return ["."], []


@case
def helm_set_values_hostile(repo):
    chart(repo, {"cm.yaml": K8S.format(name="{{ .Values.a | quote }}")})
    return ["."], ["--helm-set", "a[99999999]=x", "--helm-set", "b" + ".c" * 5000 + "=1", "--helm-set", "=x,,,=="]


# --- Kustomize --------------------------------------------------------------------------------

@case
def kustomize_component_cycle(repo):
    kustomization(repo, "resources: [cm.yaml]\ncomponents: [a]\n")
    w(os.path.join(repo, "cm.yaml"), K8S.format(name="x"))
    w(os.path.join(repo, "a", "kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents: [../b]\n")
    w(os.path.join(repo, "b", "kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents: [../a]\n")
    return ["."], []


@case
def kustomize_resource_cycle(repo):
    kustomization(os.path.join(repo, "a"), "resources: [../b]\n")
    kustomization(os.path.join(repo, "b"), "resources: [../a]\n")
    return ["."], []


@case
def kustomize_self_resource(repo):
    kustomization(repo, "resources: [., ./, ../repo]\n")
    return ["."], []


@case
def kustomize_diamond_explosion(repo):
    for n in range(20):
        kustomization(os.path.join(repo, f"l{n}"), f"resources: [../l{n + 1}, ../l{n + 1}b]\n")
        kustomization(os.path.join(repo, f"l{n}b"), f"resources: [../l{n + 1}]\n")
    kustomization(os.path.join(repo, "l20"), "resources: [cm.yaml]\n")
    kustomization(os.path.join(repo, "l20b"), "resources: [../l20/cm.yaml]\n")
    w(os.path.join(repo, "l20", "cm.yaml"), K8S.format(name="x"))
    return ["l0"], []


@case
def kustomize_resource_outside(repo):
    kustomization(repo, "resources: [/etc/passwd, ../outside/canary.yaml, ../../../../etc/hostname]\n")
    return ["."], []


@case
def kustomize_patch_symlink_out(repo):
    kustomization(repo, "resources: [cm.yaml]\npatches:\n- path: p.yaml\n")
    w(os.path.join(repo, "cm.yaml"), K8S.format(name="x"))
    os.symlink(os.path.join(repo, "..", "outside", "canary.yaml"), os.path.join(repo, "p.yaml"))
    return ["."], []


@case
def kustomize_generator_reads_outside(repo):
    kustomization(repo, "configMapGenerator:\n- name: g\n  files: [/etc/passwd, ../outside/canary.yaml]\n"
                        "  envs: [../outside/canary.yaml]\nsecretGenerator:\n- name: s\n  files: [k=/etc/shadow]\n")
    return ["."], []


@case
def kustomize_generator_many_literals(repo):
    kustomization(repo, "configMapGenerator:\n- name: g\n  literals:\n" + "".join(f"  - k{i}=v\n" for i in range(20000)))
    return ["."], []


@case
def kustomize_fifo_kustomization(repo):
    os.makedirs(os.path.join(repo, "k"), exist_ok=True)
    os.mkfifo(os.path.join(repo, "k", "kustomization.yaml"))
    kustomization(repo, "resources: [k]\n")
    return ["."], []


@case
def kustomize_json6902_huge_index(repo):
    kustomization(repo, "resources: [cm.yaml]\npatches:\n- target: {kind: ConfigMap}\n  patch: |-\n"
                        "    - op: add\n      path: /data/x/99999999999\n      value: 1\n"
                        "    - op: copy\n      from: /data\n      path: /data/a\n"
                        "    - op: move\n      from: /data\n      path: /data/b/c\n")
    w(os.path.join(repo, "cm.yaml"), K8S.format(name="x"))
    return ["."], []


@case
def kustomize_hostile_target_regex(repo):
    kustomization(repo, "resources: [cm.yaml]\npatches:\n- target: {kind: ConfigMap, name: '(a+)+$(?=x)\\\\1'}\n"
                        "  patch: '[{\"op\": \"add\", \"path\": \"/data/z\", \"value\": 1}]'\n")
    w(os.path.join(repo, "cm.yaml"), K8S.format(name="a" * 5000))
    return ["."], []


@case
def kustomize_replacements_wildcards(repo):
    kustomization(repo, "resources: [cm.yaml]\nreplacements:\n- source: {kind: ConfigMap, fieldPath: data.a}\n"
                        "  targets:\n  - select: {kind: ConfigMap}\n    fieldPaths: ['*.*.*.*.*', 'data.[a=b].x', 'data.**']\n"
                        "    options: {create: true, delimiter: '', index: 99999999}\n")
    w(os.path.join(repo, "cm.yaml"), K8S.format(name="x"))
    return ["."], []


@case
def kustomize_remote_and_odd_urls(repo):
    kustomization(repo, "resources: ['git::https://evil/x', 'https://evil/y.yaml', 'ssh://a/b', 'file:///etc/passwd', "
                        "'github.com/x/y?ref=z', '-rf', '--output=x']\nhelmCharts:\n- name: x\n  repo: https://evil\n")
    return ["."], []


@case
def kustomize_name_prefix_controls(repo):
    kustomization(repo, "resources: [sc.yaml]\nnamePrefix: " + json.dumps(WEIRD) + "\n")
    w(os.path.join(repo, "sc.yaml"), SC.format(name="x"))
    return ["."], ["--audit"]


@case
def kustomize_odd_field_types(repo):
    kustomization(repo, "resources: 5\npatches: {a: 1}\nimages: [1, [2], {name: [x]}]\nnamespace: [x]\n"
                        "replicas: [{name: x, count: many}]\nlabels: 7\ncommonAnnotations: [1]\n")
    return ["."], []


# --- vSphere ----------------------------------------------------------------------------------

OVF = ('<?xml version="1.0"?>\n<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" '
       'xmlns:vmw="http://www.vmware.com/schema/ovf"><VirtualSystem ovf:id="vm" '
       'xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"><Name>vm</Name></VirtualSystem></Envelope>\n')


@case
def ova_absolute_member(repo):
    w(os.path.join(repo, "a.ova"), tgz({"/etc/x.ovf": OVF.encode()}, compress=False))
    return ["."], []


@case
def ova_dotdot_member(repo):
    w(os.path.join(repo, "a.ova"), tgz({"../../../x.ovf": OVF.encode(), "../disk.vmdk": b"\0" * 1024}, compress=False))
    return ["."], []


@case
def ova_gzip_compressed(repo):
    w(os.path.join(repo, "a.ova"), tgz({"x.ovf": OVF.encode()}, compress=True))
    return ["."], []


@case
def ova_gzip_bomb(repo):
    w(os.path.join(repo, "a.ova"), gzip.compress(b"\0" * (200 << 20), 9))
    return ["."], []


@case
def ova_sparse_member(repo):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as archive:
        info = tarfile.TarInfo("x.ovf")
        info.type = tarfile.GNUTYPE_SPARSE
        info.size = 10
        archive.addfile(info, io.BytesIO(b"0123456789"))
    w(os.path.join(repo, "a.ova"), buffer.getvalue())
    return ["."], []


@case
def ova_forged_member_size(repo):
    data = bytearray(tgz({"x.ovf": OVF.encode()}, compress=False))
    data[124:136] = b"77777777777\0"  # the header says 8 GiB; the archive holds a few bytes
    # fix the header checksum so the tar reader takes the header
    header = bytes(data[:512])
    checksum = sum(header[:148]) + 8 * 32 + sum(header[156:512])
    data[148:156] = b"%06o\0 " % checksum
    w(os.path.join(repo, "a.ova"), bytes(data))
    return ["."], []


@case
def ova_many_members(repo):
    w(os.path.join(repo, "a.ova"), tgz({f"m{i}.txt": b"" for i in range(12000)}, compress=False))
    return ["."], []


@case
def ova_symlink_descriptor(repo):
    w(os.path.join(repo, "a.ova"), tgz({}, compress=False, links={"x.ovf": "/etc/passwd"}))
    return ["."], []


@case
def ovf_entity_bomb(repo):
    w(os.path.join(repo, "a.ovf"), '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                                   '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Envelope>&b;</Envelope>')
    return ["."], []


@case
def ovf_external_entity(repo):
    w(os.path.join(repo, "a.ovf"), '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                                   '<Envelope>&e;</Envelope>')
    return ["."], []


@case
def ovf_deep_nesting(repo):
    w(os.path.join(repo, "a.ovf"), '<?xml version="1.0"?>' + "<a>" * 100000 + "</a>" * 100000)
    return ["."], []


@case
def ovf_encoding_mismatch(repo):
    w(os.path.join(repo, "a.ovf"), '<?xml version="1.0" encoding="utf-32"?><Envelope/>'.encode("utf-8"))
    return ["."], []


@case
def ovf_many_attributes(repo):
    w(os.path.join(repo, "a.ovf"), '<?xml version="1.0"?><Envelope ' + " ".join(f'a{i}="x"' for i in range(200000)) + "/>")
    return ["."], []


@case
def vmx_nul_bytes(repo):
    w(os.path.join(repo, "a.vmx"), b'.encoding = "UTF-8"\nguestOS = "oth\x00er"\n\x00\x00 = "x"\n')
    return ["."], []


@case
def vmx_invalid_utf8(repo):
    w(os.path.join(repo, "a.vmx"), b'guestOS = "\xff\xfe\xc3"\n')
    return ["."], []


@case
def vmx_one_huge_line(repo):
    w(os.path.join(repo, "a.vmx"), 'guestOS = "' + "x" * (20 << 20) + '"\n')
    return ["."], []


@case
def vmx_control_and_bidi_values(repo):
    w(os.path.join(repo, "a.vmx"), f'displayName = {json.dumps(WEIRD)}\nscsi0.virtualDev = "pvscsi"\n'
                                   f'guestinfo.{WEIRD[:8]} = "x"\nethernet0.virtualDev = "vmxnet3"\n')
    return ["."], ["--audit"]


@case
def vmx_duplicate_keys_and_odd_syntax(repo):
    w(os.path.join(repo, "a.vmx"), 'a = "1"\na = "2"\n= "x"\nb =\nc = "unterminated\n"d" = "e"\n')
    return ["."], []


@case
def json_deep_arrays(repo):
    w(os.path.join(repo, "a.json"), "[" * 1_000_000 + "]" * 1_000_000)
    return ["."], []


@case
def json_deep_objects(repo):
    w(os.path.join(repo, "a.json"), '{"a":' * 300_000 + "1" + "}" * 300_000)
    return ["."], []


@case
def json_special_numbers(repo):
    w(os.path.join(repo, "a.json"), '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": NaN}, '
                                    '"data": {"a": Infinity, "b": -Infinity, "c": 1e400, "d": -0, "e": 1' + "0" * 4000 + "}}")
    return ["."], []


@case
def json_duplicate_and_surrogate_keys(repo):
    w(os.path.join(repo, "a.json"), '{"apiVersion": "v1", "kind": "ConfigMap", "kind": "StorageClass", '
                                    '"provisioner": "csi.vsphere.vmware.com", "metadata": {"name": "\\ud800\\udfff\\udc00", '
                                    '"\\ud83d": "\\u0000"}}')
    return ["."], []


@case
def govc_many_devices(repo):
    devices = [{"name": f"d{i}", "type": "VirtualVmxnet3", "macAddress": "x"} for i in range(100000)]
    w(os.path.join(repo, "devices.json"), json.dumps({"devices": devices}))
    return ["."], []


@case
def govc_odd_device_fields(repo):
    w(os.path.join(repo, "vm.json"), json.dumps({"virtualMachines": [{"name": "a", "config": {"hardware": {"device": [
        {"capacityInKB": [1], "backing": {"fileName": {"x": 1}, "diskMode": [2], "sharing": 3}},
        {"macAddress": {"a": 1}, "deviceInfo": {"label": [1, 2]}},
        {"sharedBus": {"x": 1}, "deviceInfo": 5}, {"_typeName": {"x": 1}}, {"_typeName": 5}, 7, None]}}}]}))
    return ["."], []


# --- RVTools ----------------------------------------------------------------------------------

@case
def csv_nul_bytes(repo):
    w(os.path.join(repo, "RVTools_tabvInfo.csv"), b"vInfoVMName,vInfoFirmware\nvm\x001,efi\x00\n")
    return ["."], []


@case
def csv_mixed_encodings(repo):
    w(os.path.join(repo, "RVTools_tabvInfo.csv"), "vInfoVMName,vInfoFirmware\nvm\u00e9,efi\n".encode("utf-8")
      + "vm\u00e9,bios\n".encode("latin-1") + "vm2,efi\n".encode("utf-16"))
    return ["."], []


@case
def csv_utf16_bom(repo):
    w(os.path.join(repo, "RVTools_tabvInfo.csv"), "vInfoVMName,vInfoFirmware\nvm1,efi\n".encode("utf-16"))
    return ["."], []


@case
def csv_huge_field(repo):
    w(os.path.join(repo, "RVTools_tabvInfo.csv"), 'vInfoVMName,vInfoFirmware\n"' + "x" * (20 << 20) + '",efi\n')
    return ["."], []


@case
def csv_unterminated_quote(repo):
    w(os.path.join(repo, "RVTools_tabvDisk.csv"), 'vDiskVMName,vDiskDiskMode\n"vm1,independent_persistent\n' + "x,y\n" * 1000)
    return ["."], []


@case
def csv_wide_header(repo):
    w(os.path.join(repo, "RVTools_tabvInfo.csv"), ",".join(["vInfoVMName"] + [f"c{i}" for i in range(200000)]) + "\nvm,1\n")
    return ["."], []


@case
def csv_control_values(repo):
    w(os.path.join(repo, "RVTools_tabvNetwork.csv"), "vNetworkVMName,vNetworkAdapter,vNetworkNICLabel\n"
      + json.dumps(WEIRD).replace(",", ";") + ",Vmxnet3," + WEIRD.replace(",", ";").replace("\n", " ") + "\n")
    return ["."], ["--audit"]


def xlsx(sheets: Dict[str, str], shared: Optional[str] = None, extra: Optional[Dict[str, bytes]] = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         '<Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
                         'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                         '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                         + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                                   f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(sheets) + 1))
                         + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                            'officedocument.spreadsheetml.sharedStrings+xml"/>' if shared is not None else "") + "</Types>")
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                         + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(sheets, 1)) + "</sheets></workbook>")
        archive.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                                   f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
                         + ('<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                            'Target="sharedStrings.xml"/>' if shared is not None else "") + "</Relationships>")
        for i, body in enumerate(sheets.values(), 1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                             f'spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>')
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", shared)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def row(n: int, *cells: str) -> str:
    return f'<row r="{n}">' + "".join(f'<c r="{chr(65 + i)}{n}" t="inlineStr"><is><t>{c}</t></is></c>'
                                      for i, c in enumerate(cells)) + "</row>"


@case
def xlsx_shared_strings_bomb(repo):
    shared = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              + "<si><t>" + "x" * 100 + "</t></si>" * 1 + "<si><t>y</t></si>" * 2_000_000 + "</sst>")
    sheet = row(1, "VM", "Firmware") + "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>{n}</v></c></row>' for n in range(2, 50000))
    w(os.path.join(repo, "RVTools.xlsx"), xlsx({"vInfo": sheet}, shared))
    return ["."], []


@case
def xlsx_shared_string_index_out_of_range(repo):
    shared = '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>a</t></si></sst>'
    sheet = row(1, "VM", "Firmware") + '<row r="2"><c r="A2" t="s"><v>999999999</v></c><c r="B2" t="s"><v>-1</v></c></row>'
    w(os.path.join(repo, "RVTools.xlsx"), xlsx({"vInfo": sheet}, shared))
    return ["."], []


@case
def xlsx_doctype_entities(repo):
    sheet = row(1, "VM") + row(2, "&b;")
    data = xlsx({"vInfo": sheet})
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                body = body.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
                                    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY e SYSTEM "file:///etc/passwd">]>')
            target.writestr(item, body)
    w(os.path.join(repo, "RVTools.xlsx"), buffer.getvalue())
    return ["."], []


@case
def xlsx_huge_cell_and_row_numbers(repo):
    sheet = row(1, "VM", "Firmware") + f'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>{"x" * (5 << 20)}</t></is></c></row>'
    w(os.path.join(repo, "RVTools.xlsx"), xlsx({"vInfo": sheet}))
    return ["."], []


@case
def xlsx_unsupported_zip_version(repo):
    data = bytearray(xlsx({"vInfo": row(1, "VM", "Firmware") + row(2, "vm1", "efi")}))
    start = data.index(b"PK\x01\x02")  # the first central-directory entry: "version needed" 6.4
    data[start + 6] = 64
    w(os.path.join(repo, "RVTools.xlsx"), bytes(data))
    return ["."], []


@case
def xlsx_not_a_zip(repo):
    w(os.path.join(repo, "RVTools.xlsx"), b"PK\x03\x04" + os.urandom(2000))
    return ["."], []


@case
def xlsx_control_values(repo):
    from xml.sax.saxutils import escape
    clean = "".join(c for c in WEIRD if c not in _CONTROL)
    w(os.path.join(repo, "RVTools.xlsx"), xlsx({"vInfo": row(1, "VM", "Firmware", "FT State") + row(2, escape(clean), "efi", "running"),
                                               "vNetwork": row(1, "VM", "Adapter") + row(2, escape(clean), "Vmxnet3")}))
    return ["."], ["--audit"]


# --- output injection -------------------------------------------------------------------------

@case
def pod_fields_with_every_injection(repo):
    w(os.path.join(repo, "pod.yaml"), POD.format(name=json.dumps(WEIRD), key=json.dumps("eks.amazonaws.com/role-arn" + WEIRD),
                                                  image=json.dumps("123456789012.dkr.ecr.us-east-1.amazonaws.com/" + WEIRD)))
    return ["."], ["--audit"]


@case
def storageclass_name_xml_breakers(repo):
    w(os.path.join(repo, "sc.yaml"), SC.format(name=json.dumps("]]></failure><testcase name='x'/><![CDATA[" + "\ufffe\uffff\x0b")))
    return ["."], ["--audit"]


@case
def markdown_and_html_breakers(repo):
    w(os.path.join(repo, "sc.yaml"), SC.format(name=json.dumps("x|y</td></tr></table><img src=x onerror=alert(1)> @org/team #1 "
                                                               "[link](javascript:alert(1)) <!-- --> ```")))
    return ["."], ["--audit"]


@case
def heat_type_with_control_characters(repo):
    w(os.path.join(repo, "stack.yaml"), HEAT + "  r:\n    type: " + json.dumps("OS::Contrail::" + WEIRD) + "\n"
      "  v:\n    type: OS::Nova::Server\n    properties:\n      image: " + json.dumps(WEIRD) + "\n")
    return ["."], ["--audit"]


@case
def suppression_reason_with_controls(repo):
    w(os.path.join(repo, "sc.yaml"), "# lintra: disable=LK101 reason: " + WEIRD.replace("\n", " ") + "\x1b[2J\r\n" + SC.format(name="x"))
    return ["."], ["--audit"]


@case
def huge_suppression_comment(repo):
    w(os.path.join(repo, "sc.yaml"), "# lintra: disable=" + ",".join(f"LK{i}" for i in range(100000)) + "\n" + SC.format(name="x"))
    return ["."], []


@case
def message_with_format_fields(repo):
    w(os.path.join(repo, "sc.yaml"), SC.format(name=json.dumps("{value} {0} {__class__} %s %n %x {{}} ${HOME} $(id)")))
    return ["."], []


# --- file names -------------------------------------------------------------------------------

def named(repo: str, name) -> None:
    path = os.path.join(repo.encode() if isinstance(name, bytes) else repo, name)
    with open(path, "wb") as handle:
        handle.write(SC.format(name="x").encode())


@case
def file_name_with_newline(repo):
    named(repo, "a\n::error file=x::pwn.yaml")
    return ["."], ["--audit"]


@case
def file_name_with_github_escapes(repo):
    named(repo, "a%0A::warning::b%25,c:d.yaml")
    return ["."], []


@case
def file_name_option_like(repo):
    for name in ("--output=x.yaml", "-f", "--format=junit.yaml", "-rf.yaml", "--exclude=*.yaml"):
        named(repo, name)
    return ["."], []


@case
def file_name_option_like_named(repo):
    for name in ("--output=x.yaml", "--exclude=*.yaml", "-.yaml"):
        named(repo, name)
    return ["--output=x.yaml", "--exclude=*.yaml", "-.yaml"], []


@case
def file_name_invalid_utf8(repo):
    named(repo, b"\xff\xfe\x80.yaml")
    return ["."], ["--audit"]


@case
def file_name_with_controls_and_bidi(repo):
    named(repo, "\x1b[31m\u202ex\tb\r.yaml")
    return ["."], ["--audit"]


@case
def directory_name_with_newline(repo):
    os.makedirs(os.path.join(repo, "d\nir", "\x07sub"))
    named(os.path.join(repo, "d\nir", "\x07sub"), "sc.yaml")
    return ["."], []


@case
def file_name_very_long(repo):
    named(repo, "x" * 250 + ".yaml")
    deep = os.path.join(repo, *(["d" * 200] * 15))
    os.makedirs(deep)
    named(deep, "sc.yaml")
    return ["."], []


# --- special files and the file system --------------------------------------------------------

@case
def fifo_in_directory(repo):
    os.mkfifo(os.path.join(repo, "p.yaml"))
    os.mkfifo(os.path.join(repo, "p.vmx"))
    return ["."], []


@case
def socket_in_directory(repo):
    server = socket.socket(socket.AF_UNIX)
    server.bind(os.path.join(repo, "s.yaml"))
    server.close()
    return ["."], []


@case
def symlink_loop(repo):
    os.symlink("b.yaml", os.path.join(repo, "a.yaml"))
    os.symlink("a.yaml", os.path.join(repo, "b.yaml"))
    os.symlink(".", os.path.join(repo, "self"))
    os.symlink("..", os.path.join(repo, "up"))
    return ["."], []


@case
def symlink_to_devices(repo):
    for name, target in (("z.yaml", "/dev/zero"), ("r.vmx", "/dev/urandom"), ("t.json", "/dev/tty"),
                         ("f.yaml", "/proc/self/fd/0"), ("e.yaml", "/proc/self/environ")):
        os.symlink(target, os.path.join(repo, name))
    return ["."], []


@case
def symlink_directory_to_root(repo):
    os.symlink("/", os.path.join(repo, "root"))
    os.symlink("/etc", os.path.join(repo, "etc"))
    os.symlink(os.path.join(repo, "..", "outside"), os.path.join(repo, "out"))
    return ["."], []


@case
def named_symlink_chain_out(repo):
    os.symlink(os.path.join(repo, "..", "outside", "canary.yaml"), os.path.join(repo, "l1.yaml"))
    os.symlink("l1.yaml", os.path.join(repo, "l2.yaml"))
    return ["l2.yaml", "l1.yaml"], []


@case
def named_directory_and_duplicates(repo):
    named(repo, "sc.yaml")
    os.symlink("sc.yaml", os.path.join(repo, "again.yaml"))
    os.link(os.path.join(repo, "sc.yaml"), os.path.join(repo, "hard.yaml"))
    return [".", "./sc.yaml", "sc.yaml", "again.yaml", "./"], []


@case
def unreadable_file_and_directory(repo):
    named(repo, "locked.yaml")
    os.makedirs(os.path.join(repo, "closed"))
    named(os.path.join(repo, "closed"), "in.yaml")
    os.chmod(os.path.join(repo, "locked.yaml"), 0)
    os.chmod(os.path.join(repo, "closed"), 0)
    return ["."], []


@case
def files_changing_during_the_scan(repo):
    for i in range(400):
        named(repo, f"f{i:03}.yaml")
    script = ("import os, time, sys\nrepo = sys.argv[1]\nend = time.time() + 8\ni = 0\n"
              "while time.time() < end:\n    p = os.path.join(repo, 'f%03d.yaml' % (i % 400))\n"
              "    try:\n        if i % 3 == 0:\n            os.unlink(p); os.mkfifo(p)\n"
              "        elif i % 3 == 1:\n            os.unlink(p); open(p, 'wb').write(b'\\xff' * 70000)\n"
              "        else:\n            os.unlink(p); os.symlink('/etc/passwd', p)\n    except OSError:\n        pass\n    i += 1\n")
    w(os.path.join(repo, "..", "mutate.py"), script)
    return ["."], ["--mutate"]


@case
def stdin_with_nul_and_controls(repo):
    return ["-"], ["--stdin", b"apiVersion: v1\nkind: ConfigMap\x00\nmetadata: {name: \"\\e[31m\"}\n",
                   "--stdin-filename", "x\n::error::y.yaml"]


# --- configuration ----------------------------------------------------------------------------

@case
def config_points_outside(repo):
    w(os.path.join(repo, ".lintra.yaml"), "packs: [../outside/canary.yaml, /etc/passwd]\n")
    return ["."], []


@case
def config_baseline_outside(repo):
    w(os.path.join(repo, ".lintra.yaml"), "baseline: ../outside/canary.yaml\n")
    return ["."], []


@case
def config_local_plugin_outside(repo):
    w(os.path.join(repo, ".lintra.yaml"), "local_plugins: [../outside/evil.py]\n")
    return ["."], []


@case
def config_alias_bomb(repo):
    w(os.path.join(repo, ".lintra.yaml"), bomb_yaml() + "exclude: *a8\n")
    named(repo, "sc.yaml")
    return ["."], []


@case
def config_deep(repo):
    w(os.path.join(repo, ".lintra.yaml"), "per_path:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 400)) + "  " * 400 + "x: 1\n")
    return ["."], []


@case
def config_catastrophic_exclude_glob(repo):
    w(os.path.join(repo, ".lintra.yaml"), "exclude: ['" + "*" * 50 + "a" * 3 + "*" * 50 + "b', '" + "**/" * 200 + "x', '[', '\\\\']\n")
    named(repo, "a" * 60 + ".yaml")
    return ["."], []


@case
def config_pyproject_odd(repo):
    w(os.path.join(repo, "pyproject.toml"), '[tool.lintra]\nexclude = "x"\nprofile = 5\nlimits = {max_depth = 1e9}\n'
                                            "[tool.lintra.per_path]\n" + "".join(f'"p{i}" = {{profile = "agile"}}\n' for i in range(5000)))
    return ["."], []


@case
def config_user_level_hostile(repo):
    home = os.path.join(repo, "..", "home", "lintra")
    w(os.path.join(home, "config.yaml"), "limits: {max_depth: 99999999}\n")
    return ["."], ["--home"]


@case
def pack_catastrophic_regex(repo):
    w(os.path.join(repo, "org.yaml"), pack("{path: metadata.name, regex: '^(a|a)*$'}"))
    w(os.path.join(repo, ".lintra.yaml"), "packs: [org.yaml]\n")
    w(os.path.join(repo, "sc.yaml"), SC.format(name="a" * 40 + "!"))
    return ["."], []


@case
def pack_backreference_and_huge_regex(repo):
    w(os.path.join(repo, "org.yaml"), pack("{any: [{path: metadata.name, regex: '(a)\\\\1'}, {path: metadata.name, regex: '"
                                           + "(x{1000}){1000}" + "'}]}"))
    w(os.path.join(repo, ".lintra.yaml"), "packs: [org.yaml]\n")
    return ["."], []


@case
def pack_format_string_attack(repo):
    w(os.path.join(repo, "org.yaml"), pack("{path: metadata.name, exists: true}",
                                           message="{value.__class__.__mro__} {value:>999999999} {0} {{x}} {nosuch}"))
    w(os.path.join(repo, ".lintra.yaml"), "packs: [org.yaml]\n")
    named(repo, "sc.yaml")
    return ["."], []


@case
def pack_huge_selector_path(repo):
    w(os.path.join(repo, "org.yaml"), pack("{path: '" + ".".join(["a"] * 50000) + "', exists: true}"))
    w(os.path.join(repo, ".lintra.yaml"), "packs: [org.yaml]\n")
    named(repo, "sc.yaml")
    return ["."], []


@case
def pack_wildcard_explosion(repo):
    w(os.path.join(repo, "org.yaml"), pack("{path: '" + ".".join(["**"] * 30) + "', equals: zz}"))
    w(os.path.join(repo, ".lintra.yaml"), "packs: [org.yaml]\n")
    deep = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 60)) + "  " * 60 + "v: 1\n"
    w(os.path.join(repo, "cm.yaml"), deep)
    return ["."], []


@case
def pack_many_rules(repo):
    rules = "".join(f"  - id: ORG{i:04}\n    name: r{i}\n    title: t\n    vendor: other\n    category: storage\n"
                    "    strength: soft\n    severity: error\n    kinds: [k8s]\n    rationale: r\n    remediation: m\n"
                    f"    match: {{path: metadata.name, equals: n{i}}}\n    message: m\n" for i in range(3000))
    w(os.path.join(repo, "org.yaml"), "pack: {name: org, version: 1}\nrules:\n" + rules)
    w(os.path.join(repo, ".lintra.yaml"), "packs: [org.yaml]\n")
    named(repo, "sc.yaml")
    return ["."], []


@case
def baseline_alias_bomb(repo):
    w(os.path.join(repo, "baseline.yaml"), bomb_yaml() + "version: 2\nfindings: *a8\n")
    named(repo, "sc.yaml")
    return ["."], ["--baseline", "baseline.yaml"]


# --- Heat -------------------------------------------------------------------------------------

@case
def heat_get_file_outside(repo):
    w(os.path.join(repo, "stack.yaml"), HEAT + "  s:\n    type: OS::Nova::Server\n    properties:\n"
      "      user_data: {get_file: /etc/passwd}\n      personality: {get_file: ../outside/canary.yaml}\n"
      "      metadata: {get_file: 'file:///etc/shadow'}\n")
    return ["."], []


@case
def heat_type_urls_and_absolute(repo):
    w(os.path.join(repo, "stack.yaml"), HEAT + "  a:\n    type: file:///etc/passwd\n  b:\n    type: /etc/passwd.yaml\n"
      "  c:\n    type: http://169.254.169.254/latest/x.yaml\n  d:\n    type: ../outside/canary.yaml\n  e:\n    type: [1]\n"
      "  f:\n    type: {x: 1}\n")
    return ["."], []


@case
def heat_env_registry_globs(repo):
    w(os.path.join(repo, "env.yaml"), "resource_registry:\n  '*': /etc/passwd\n  'OS::*': ../outside/canary.yaml\n"
      "  resources:\n    '*':\n      '*': {hooks: [pre-create]}\n  'OS::Foo': {x: 1}\n")
    w(os.path.join(repo, "stack.yaml"), HEAT + "  a:\n    type: OS::Foo\n")
    return ["."], ["--heat-env-auto"]


@case
def heat_many_resources(repo):
    w(os.path.join(repo, "stack.yaml"), HEAT + "".join(f"  r{i}:\n    type: OS::Contrail::VirtualNetwork\n"
                                                       f"    properties: {{name: {{get_attr: [r{i - 1}, a, b, c]}}}}\n"
                                                       for i in range(100000)))
    return ["."], []


@case
def heat_odd_shapes(repo):
    w(os.path.join(repo, "stack.yaml"), "heat_template_version: [1]\nresources: [a, b]\nparameters: 5\noutputs: {x: [1]}\n")
    w(os.path.join(repo, "stack2.yaml"), HEAT + "  a: 5\n  b: {type: 7, properties: [1]}\n  c: {type: OS::Heat::ResourceGroup, "
      "properties: {resource_def: 5, count: many}}\n  d: {type: OS::Heat::ResourceGroup, properties: {resource_def: {type: [x]}}}\n")
    return ["."], []


@case
def heat_nested_diamond(repo):
    for n in range(25):
        w(os.path.join(repo, f"t{n}.yaml"), HEAT + f"  a:\n    type: t{n + 1}.yaml\n  b:\n    type: t{n + 1}.yaml\n")
    w(os.path.join(repo, "t25.yaml"), HEAT + "  net:\n    type: OS::Contrail::VirtualNetwork\n")
    return ["t0.yaml"], []


# --- YAML -------------------------------------------------------------------------------------

@case
def yaml_python_tags(repo):
    w(os.path.join(repo, "a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: !!python/object/apply:os.system ['touch /tmp/pwned-lintra']\n"
      "data: !!python/name:os.system\nx: !!binary AAAA\ny: !!timestamp not-a-date\nz: !!int 0xZZ\nw: !!float nope\n")
    return ["."], []


@case
def yaml_complex_keys(repo):
    w(os.path.join(repo, "a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  ? [a, b]\n  : 1\n  ? {c: d}\n  : 2\n"
      "data:\n  ? !!set {a, b}\n  : x\n  [1, 2]: y\n  {e: f}: z\n")
    return ["."], []


@case
def yaml_odd_structural_types(repo):
    w(os.path.join(repo, "a.yaml"), "---\napiVersion: v1\nkind: [Pod]\nmetadata: 5\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: [x]}\n"
      "spec: {containers: 'abc'}\n---\nkind: List\nitems: 5\n---\nkind: List\nitems: [5, [1], null]\n---\n"
      "apiVersion: v1\nkind: Pod\nmetadata: {name: {a: 1}, annotations: [1], labels: 'x'}\nspec:\n  containers: [5, null, {image: [1]}]\n"
      "  volumes: {a: 1}\n---\napiVersion: template.openshift.io/v1\nkind: Template\nobjects: 'x'\nparameters: 5\n")
    return ["."], []


@case
def yaml_bom_and_utf16(repo):
    w(os.path.join(repo, "a.yaml"), ("\ufeff" + SC.format(name="x")).encode("utf-16-le"))
    w(os.path.join(repo, "b.yaml"), b"\xef\xbb\xbf\xef\xbb\xbf" + SC.format(name="y").encode())
    w(os.path.join(repo, "c.yaml"), codecs_utf32(SC.format(name="z")))
    return ["."], []


def codecs_utf32(text: str) -> bytes:
    return text.encode("utf-32")


@case
def yaml_many_tiny_documents(repo):
    w(os.path.join(repo, "a.yaml"), "---\n" * 500000)
    return ["."], []


@case
def yaml_huge_binary(repo):
    w(os.path.join(repo, "a.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\ndata:\n  a: !!binary " + "A" * (20 << 20) + "\n")
    return ["."], []


@case
def yaml_long_key_and_anchor_names(repo):
    w(os.path.join(repo, "a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  &" + "a" * 100000 + " k: v\n  "
      + "k" * 500000 + ": v\n")
    return ["."], []


@case
def yaml_tabs_and_garbage(repo):
    w(os.path.join(repo, "a.yaml"), "apiVersion: v1\n\tkind: x\n: : :\n- - - [\n{{{{\n%YAML 9.9\n%TAG ! tag:evil:\n")
    return ["."], []


@case
def yaml_directive_and_tag_handles(repo):
    w(os.path.join(repo, "a.yaml"), "%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\napiVersion: !e!v v1\nkind: !<tag:yaml.org,2002:str> StorageClass\n"
      "metadata: {name: x}\nprovisioner: !local csi.vsphere.vmware.com\n")
    return ["."], []


@case
def jinja_and_erb_templates(repo):
    w(os.path.join(repo, "a.yaml.j2"), "{% for i in range(10**9) %}x{% endfor %}{{ ''.__class__.__mro__ }}")
    w(os.path.join(repo, "b.yaml"), "{% for i in range(10**9) %}\nkind: <%= `id` %>\n{{ lookup('pipe', 'id') }}\n")
    return ["."], []


@case
def binary_files_with_yaml_suffix(repo):
    w(os.path.join(repo, "a.yaml"), os.urandom(100000))
    w(os.path.join(repo, "b.json"), b"\x00" * 100000)
    w(os.path.join(repo, "c.vmx"), os.urandom(5000))
    w(os.path.join(repo, "d.ovf"), os.urandom(5000))
    w(os.path.join(repo, "e.csv"), os.urandom(5000))
    return ["."], []


@case
def empty_and_whitespace_files(repo):
    for name, data in (("a.yaml", ""), ("b.json", " "), ("c.vmx", "\n\n"), ("d.ovf", ""), ("RVTools_tabvInfo.csv", ""),
                       ("e.ova", ""), ("f.yaml", "---\n...\n"), ("RVTools.xlsx", "")):
        w(os.path.join(repo, name), data)
    return ["."], []


# --- the runner -------------------------------------------------------------------------------

def _walk_files(repo: str) -> List[str]:
    found = []
    for directory, dirnames, filenames in os.walk(repo):
        dirnames[:] = [d for d in dirnames if d != ".git" and not os.path.islink(os.path.join(directory, d))]
        for name in filenames:
            if not name.startswith(".out."):
                found.append(os.path.relpath(os.path.join(directory, name), repo))
        found.extend(os.path.relpath(os.path.join(directory, d), repo) for d in os.listdir(directory)
                     if os.path.islink(os.path.join(directory, d)) and os.path.isdir(os.path.join(directory, d)))
    return found


def _suffixes() -> Tuple[str, ...]:
    """The file names lintra reads (a file of another suffix is not an input, so not listed)."""
    from lintra.plugins import load_registry

    return tuple(sorted({suffix.lower() for loader in load_registry().loaders for suffix in loader.suffixes}))


def _limit(cap: int) -> Callable[[], None]:
    def apply() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return apply


def _run(args: Sequence[str], cwd: str, env: Dict[str, str], stdin: bytes, timeout: float):
    """(exit code, stdout, stderr, peak RSS MB, timed out)"""
    proc = subprocess.Popen([sys.executable, "-m", "lintra", *args], cwd=cwd, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_limit(MEMORY_CAP))
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        timed_out = True
    _, _, usage = os.wait4(proc.pid, 0) if proc.returncode is None else (0, 0, None)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return proc.returncode, out, err, peak, timed_out


def attack(name: str, base: str, timeout: float = 180) -> List[str]:
    """Run case ``name`` in a fresh directory under ``base``; the problems found (empty: it held)."""
    root = os.path.join(base, name)
    repo = os.path.join(root, "repo")
    os.makedirs(os.path.join(repo, ".git"))
    w(os.path.join(root, "outside", "canary.yaml"), f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {CANARY}\n")
    w(os.path.join(root, "outside", "evil.py"), f"open('/tmp/{CANARY}', 'w')\n")
    paths, extra = CASES[name](repo)
    extra = list(extra)
    audit = "--audit" in extra
    mutate = "--mutate" in extra
    home = os.path.join(root, "home") if "--home" in extra else os.path.join(root, "empty-home")
    stdin = b""
    if "--stdin" in extra:
        stdin = extra[extra.index("--stdin") + 1]
        del extra[extra.index("--stdin"): extra.index("--stdin") + 2]
    extra = [e for e in extra if e not in ("--audit", "--mutate", "--home")]
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PYTHONIOENCODING", "LC_ALL", "NO_COLOR")}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", XDG_CONFIG_HOME=home, FORCE_COLOR="1")
    before = set(_walk_files(repo))
    args = ["check", "--verbose", "--jobs", "1"]
    for fmt in FORMATS[1:]:
        args += ["--format", fmt, "--output", os.path.join(root, f".out.{fmt}")]
    args += ["--format", "json", *extra, "--", *paths]
    mutator = subprocess.Popen([sys.executable, os.path.join(root, "mutate.py"), repo]) if mutate else None
    problems: List[str] = []
    # a fresh interpreter per case, so RUSAGE_CHILDREN's peak is this run's
    probe = subprocess.run([sys.executable, "-c", _PROBE, json.dumps([args, repo, env, stdin.decode("latin-1"), timeout])],
                           capture_output=True, timeout=timeout + 60)
    if mutator:
        mutator.wait()
    result = json.loads(probe.stdout or b'{"error": "probe failed"}') if probe.returncode == 0 else {"error": probe.stderr.decode()[-400:]}
    if "error" in result:
        return [f"runner: {result['error']}"]
    code, out, err, peak, timed_out = result["code"], result["out"].encode("latin-1"), result["err"].encode("latin-1"), \
        result["peak"], result["timed_out"]
    stderr = err.decode("utf-8", "replace")
    if timed_out:
        problems.append(f"hang: no result within {timeout} s")
    if "Traceback" in stderr:
        problems.append("traceback: " + stderr.strip().splitlines()[-1][:200])
    if code not in (0, 1, 2) and not timed_out:
        problems.append(f"exit code {code}: {stderr[-200:]!r}")
    if peak > PEAK_BOUND_MB:
        problems.append(f"peak RSS {peak:.0f} MB")
    outputs = {"json": out, "stderr": err}
    report = None
    if code in (0, 1):
        try:
            text = out.decode("utf-8")
            report = json.loads(text)
        except (UnicodeDecodeError, ValueError) as error:
            problems.append(f"json output does not parse: {error}")
        for fmt in FORMATS[1:]:
            try:
                with open(os.path.join(root, f".out.{fmt}"), "rb") as handle:
                    data = handle.read()
                outputs[fmt] = data
                text = data.decode("utf-8")
                if fmt in ("sarif", "gitlab"):
                    json.loads(text)
                elif fmt == "junit":
                    ET.fromstring(data)
                elif any(c in _CONTROL for c in text):
                    problems.append(f"{fmt} output holds a raw control character")
                if fmt == "github":
                    for line in text.splitlines():
                        if "::" in line and not line.startswith(("::error ", "::warning ", "::notice ", "::group::",
                                                                  "::endgroup::")):
                            problems.append(f"github output has a stray command: {line[:80]!r}")
                            break
            except (OSError, UnicodeDecodeError, ValueError, ET.ParseError) as error:
                problems.append(f"{fmt} output is not valid: {type(error).__name__}: {error}")
    if report is not None and any(f.get("rule_id") == "LT900" for f in report.get("findings", [])):
        problems.append("a reader or rule crashed (LT900): " + next(f["message"] for f in report["findings"]
                                                                   if f.get("rule_id") == "LT900")[:120])
    if report is not None and not mutate:
        listed = report.get("files", [])
        if paths == ["."]:
            listed_names = {os.path.normpath(os.path.relpath(f["file"], repo) if os.path.isabs(f["file"]) else f["file"])
                            for f in listed}
            read = _suffixes()
            before = {rel for rel in before if rel.lower().endswith(read) or os.path.isdir(os.path.join(repo, rel))
                      or not os.path.isfile(os.path.join(repo, rel))}
            for rel in sorted(before):
                printable = rel.isprintable() and rel.isascii()
                if printable and os.path.normpath(rel) not in listed_names and not os.path.basename(rel).startswith(".lintra"):
                    problems.append(f"{rel!r} missing from the JSON files list")
            if len(listed) < len(before) - sum(1 for r in before if os.path.basename(r).startswith(".lintra")):
                problems.append(f"{len(before)} files in the tree, {len(listed)} listed")
    for fmt, data in outputs.items():
        if CANARY.encode() in data:
            problems.append(f"the canary outside the repository reached the {fmt} output")
    if os.path.exists(f"/tmp/{CANARY}"):
        problems.append("a plugin outside the repository ran")
        os.unlink(f"/tmp/{CANARY}")
    if os.path.exists("/tmp/pwned-lintra"):
        problems.append("a YAML tag ran code")
    if audit and code in (0, 1):
        for fmt in ("html", "markdown"):
            a_args = ["audit", "--format", fmt, "--output", os.path.join(root, f".out.audit.{fmt}"), "--", repo]
            a_code, _, a_err, a_peak, a_timed_out = _run(a_args, root, env, b"", timeout)
            a_stderr = a_err.decode("utf-8", "replace")
            if a_timed_out or "Traceback" in a_stderr or a_code not in (0, 1):
                problems.append(f"audit {fmt}: exit {a_code} {a_stderr[-200:]!r}")
                continue
            with open(os.path.join(root, f".out.audit.{fmt}"), "rb") as handle:
                data = handle.read().decode("utf-8")
            if CANARY in data:
                problems.append(f"audit {fmt} holds the canary")
            if fmt == "html" and ("<script>x" in data or "onerror=" in data.replace("onerror=&#", "")):
                if "<img src=x onerror" in data or "<script>x</script>" in data:
                    problems.append("audit html holds raw markup from a scanned file")
            if fmt == "markdown" and ("@org/team" in data or "@team" in data):
                problems.append("audit markdown holds a raw @mention")
            if any(c in _CONTROL for c in data if c not in "\n"):
                problems.append(f"audit {fmt} holds a raw control character")
    return problems


_PROBE = r"""
import json, os, resource, subprocess, sys
args, cwd, env, stdin, timeout = json.loads(sys.argv[1])
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
proc = subprocess.Popen([sys.executable, "-m", "lintra", *args], cwd=cwd, env=env, stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=cap)
try:
    out, err = proc.communicate(stdin.encode("latin-1"), timeout=timeout)
    timed_out = False
except subprocess.TimeoutExpired:
    proc.kill()
    out, err = proc.communicate()
    timed_out = True
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"code": proc.returncode, "out": out.decode("latin-1"), "err": err.decode("latin-1"),
                  "peak": peak, "timed_out": timed_out}))
"""


def main(argv: Sequence[str]) -> int:
    import tempfile

    names = list(argv) or list(CASES)
    base = tempfile.mkdtemp(prefix="lintra-attack-")
    failed = 0
    for name in names:
        start = time.time()
        try:
            problems = attack(name, base)
        except Exception as error:  # noqa: BLE001 - the harness reports, it does not stop
            problems = [f"harness: {type(error).__name__}: {error}"]
        failed += bool(problems)
        print(f"{'FAIL' if problems else 'ok  '} {name} ({time.time() - start:.1f}s)" + "".join(f"\n     - {p}" for p in problems),
              flush=True)
    print(f"{len(names)} cases, {failed} failing; trees under {base}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
