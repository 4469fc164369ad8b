"""Writes to applications, one module per step of the journey."""
