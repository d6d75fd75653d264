"""Where a format ends its lines: one definition of each rule, used by the readers that count lines
and by the suppression comments (lintra/filter/suppress.py), which must count them the same way or
a comment lands on a line other than the finding it is written next to.

- YAML ends a line where libyaml does: CR, LF, CRLF, and NEL (U+0085), LS (U+2028) and PS (U+2029)
  (YAML 1.1 §4.1.4 ``b-char``; YAML forbids the other characters ``str.splitlines`` breaks at);
- everything else at CR, LF or CRLF only: a ``.vmx`` file (its reader), OVF (expat, XML 1.0 §2.11),
  CSV (the ``csv`` module) and JSON (whitespace is CR and LF only). U+2028 or a form feed inside a
  value (a VM's display name, an XML comment) ends no line there.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import List, Pattern

#: CR, LF or CRLF (counted once)
BREAKS = re.compile(r"\r\n|\r|\n")
#: libyaml's line breaks: CR, LF, CRLF (counted once), NEL, LS, PS
YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
#: the files whose format ends lines at CR and LF only; every other text lintra reads is YAML
#: (manifests, Heat templates and environments, Helm values and templates, Kustomizations)
_CR_LF_SUFFIXES = (".vmx", ".ovf", ".csv", ".json")


def breaks_of(name: str) -> Pattern:
    """The line rule of the file ``name``, by its format."""
    return BREAKS if name.lower().endswith(_CR_LF_SUFFIXES) else YAML_BREAKS


def split(text: str, name: str) -> List[str]:
    """``text`` (the file ``name``) as its format's lines, without their line breaks."""
    return breaks_of(name).split(text)
