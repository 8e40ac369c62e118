"""Webhooks out: events signed as Standard Webhooks says, delivered by the task queue after their commit."""
