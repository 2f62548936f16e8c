"""The judge side: Python SDK and CLI with a durable outbox, and the browser judge pad assets."""
