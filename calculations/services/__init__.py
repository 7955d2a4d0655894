"""Writes and rules of the calculations app (calculations.md §4–§9)."""
