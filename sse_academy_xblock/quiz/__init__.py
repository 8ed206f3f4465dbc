"""The server-graded quiz: question types, OLX, answers, authoring checks and grading as plain Python."""
