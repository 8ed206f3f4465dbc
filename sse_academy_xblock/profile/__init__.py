"""Modules: the per-dimension score table every graded block updates, and profile arithmetic."""
