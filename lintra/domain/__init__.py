"""Domain knowledge shared by the pack language and the Python rules: one module per platform."""
