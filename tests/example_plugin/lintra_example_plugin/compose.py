"""Recognise Docker Compose files among the YAML lintra reads.

A Compose file has a top-level ``services`` mapping of service definitions; its other top-level
elements are a fixed set, plus ``x-`` extension fields (Compose Specification,
https://github.com/compose-spec/compose-spec/blob/main/spec.md). Requiring every top-level key
to be one of those keeps Heat templates, Kubernetes objects and arbitrary YAML out.
"""

TOP_LEVEL = frozenset({"version", "name", "include", "services", "networks", "volumes", "configs",
                       "secrets", "models"})


def detect_compose(data):
    if not isinstance(data, dict):
        return None
    services = data.get("services")
    if not isinstance(services, dict) or not services:
        return None
    if not all(isinstance(key, str) and (key in TOP_LEVEL or key.startswith("x-")) for key in data):
        return None
    if not all(service is None or isinstance(service, dict) for service in services.values()):
        return None
    return [("compose", data, ())]
