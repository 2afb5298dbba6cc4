"""payamak: a typed Python SDK for Iranian SMS gateways."""

__all__: list[str] = []
