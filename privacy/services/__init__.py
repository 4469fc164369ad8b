"""Writes for data rights, by topic: exports (download your data), erasure, retention."""
