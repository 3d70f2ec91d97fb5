"""Seed's service."""

__version__ = "1.3.0"

MIN_CLIENT = "1.2.0"
