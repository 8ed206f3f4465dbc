"""Case-study peer review: rubric, grading, allocation, workflow and staff tools (no XBlock imports)."""
