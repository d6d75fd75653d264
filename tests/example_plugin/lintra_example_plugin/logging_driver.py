"""ACME101: a Compose service ships its logs through a cloud provider's logging driver.

Docker's ``awslogs`` driver writes container output to Amazon CloudWatch Logs and ``gcplogs`` to
Google Cloud Logging, each with provider credentials and provider-named options
(``awslogs-group``, ``gcp-project``). The service's logs then exist only in that provider's
service, and the file does not run unchanged anywhere else. Drivers that speak an open protocol
(``fluentd``, ``gelf``, ``syslog``) or the local ``json-file``/``local`` drivers, read by a
collector such as Fluent Bit or the OpenTelemetry Collector, keep the destination a deployment
choice.

A Python rule rather than a policy pack because each finding names the provider of the driver
it found (``Hit(vendor=...)``); a pack rule has one vendor. Values that are not literal strings
(``${LOG_DRIVER}`` is interpolated at deploy time) are unknown, not coupled: only exact driver
names match.
"""

import lintra

#: logging driver -> (lintra vendor, the provider service it writes to)
CLOUD_DRIVERS = {
    "awslogs": ("aws", "Amazon CloudWatch Logs"),
    "gcplogs": ("gcp", "Google Cloud Logging"),
}


def check(document, scan):
    services = document.data.get("services") or {}
    for name, service in services.items():
        logging = service.get("logging") if isinstance(service, dict) else None
        driver = logging.get("driver") if isinstance(logging, dict) else None
        if isinstance(driver, str) and driver in CLOUD_DRIVERS:
            vendor, destination = CLOUD_DRIVERS[driver]
            yield lintra.Hit(("services", name, "logging", "driver"),
                             f"service '{name}' sends its logs to {destination} (logging driver {driver})",
                             vendor=vendor)


RULE = lintra.Rule(
    id="ACME101",
    name="compose-cloud-logging-driver",
    title="Compose service logs through a cloud provider's logging driver",
    vendor="other",
    category="management",
    strength="soft",
    severity="warning",
    kinds=["compose"],
    rationale="The awslogs and gcplogs drivers write container output to Amazon CloudWatch Logs and "
              "Google Cloud Logging with provider credentials and provider-named options; the logs "
              "then exist only in that provider's service and the file does not run unchanged elsewhere.",
    remediation="Log to stdout with the json-file or local driver, or to fluentd/gelf/syslog, and let a "
                "collector you run (Fluent Bit, OpenTelemetry Collector) forward to any backend.",
    references=[
        "https://docs.docker.com/engine/logging/configure/",
        "https://docs.docker.com/engine/logging/drivers/awslogs/",
        "https://docs.docker.com/engine/logging/drivers/gcplogs/",
        "https://docs.docker.com/reference/compose-file/services/#logging",
    ],
    check=check,
    origin=__name__,
)
