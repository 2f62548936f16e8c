"""Scorecast's test suite."""
