"""Case-study peer review: rubric, scoring, allocation, workflow and staff tools (no XBlock imports)."""
