"""Instructor insight: item analysis of quizzes and agreement of peer reviewers (plain Python, no runtime)."""
