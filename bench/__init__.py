"""Benchmarks, run as scripts (see bench/README.md); a package so they can share helpers."""
