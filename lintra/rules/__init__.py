"""Built-in rules written in Python, one module per rule, grouped by input family.

Rules that a selector can express live as YAML packs in ``policies/`` instead; Python is for
rules that need real logic (parameter resolution, cross-document reasoning).
"""
