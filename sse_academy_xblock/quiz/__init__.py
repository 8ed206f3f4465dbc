"""The server-graded quiz: question types, OLX, validation and grading as plain Python."""
