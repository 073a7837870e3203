"""reportgen: one command that validates a NaaP analytics run and renders a self-contained report."""

__version__ = "0.1.0"
