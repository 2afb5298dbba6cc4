"""The whole suite uses the sandbox fixtures users get from the payamak.testing plugin."""

pytest_plugins = ["payamak.testing"]
