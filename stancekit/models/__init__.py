"""Transformer models: a pair classifier over the offline all-MiniLM-L6-v2 base, and its files."""
