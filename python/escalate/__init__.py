"""Python-side tooling for the escalate compiler (test-model generation)."""

__all__ = ["models"]
