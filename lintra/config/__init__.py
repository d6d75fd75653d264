"""Configuration: strictness profiles and the ``.lintra.yaml`` / ``[tool.lintra]`` file."""
