"""What an Ingress's or Gateway's class name binds it to: the scan's definition, else the vendor's name.

One rule owns the class name (LK112 for ``ingressClassName``, LK114 for ``gatewayClassName``) and
reports it once, at the value. The nearest definition of the class in the scan is the precise
answer: its controller decides, and a neutral definition keeps the Ingress silent even under a
vendor's conventional name. Only when no definition is in reach does the name itself speak, and then
only a name a vendor's controller installs its class under (the rule's ``class_names`` parameter,
whose defaults class_names.py lists).
"""

from lintra.model import Hit, Related
from lintra.rules.k8s.class_names import conventional_controller
from lintra.rules.k8s.controllers import class_controller, controller_service, controller_vendor, is_class
from lintra.rules.k8s.nearest import describe, resolved


def through_class(document, scan, class_kind: str, pointer, params=None):
    """At most one hit, at the class name under ``pointer``, when it binds the object to a vendor's
    controller: through the class's nearest definition (given as related), else by its name."""
    name = document.get(pointer)
    if not isinstance(name, str) or not name:
        return
    in_reach = resolved(scan, document, class_kind, f"k8s.{class_kind.lower()}es", name, is_class)
    for klass in in_reach:
        found = class_controller(klass, params)
        if found and found[2]:
            where, controller, vendor = found
            yield Hit(pointer, f"{describe(document)} uses {class_kind} '{name}', implemented by the {vendor} "
                               f"controller {controller}",
                      related=[Related(f"{class_kind} '{name}'", klass.source.name, klass.span(where))],
                      vendor=vendor, service=controller_service(controller))
            return
    if in_reach:
        return  # the scan defines the class for this object, with a neutral (or unreadable) controller
    controller = conventional_controller((params or {}).get("class_names") or {}, name)
    vendor = controller_vendor(controller, params)
    if vendor:
        yield Hit(pointer, f"{describe(document)} uses {class_kind} '{name}', the name the {vendor} controller "
                           f"{controller} installs its class under (the scan defines no '{name}' in reach)",
                  vendor=vendor, service=controller_service(controller))
