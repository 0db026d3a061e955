"""Optimisation over the whole waiting list."""
