"""SSE Academy XBlocks: quizzes, peer-reviewed case studies and modules mapped to the ILO Decent Work Agenda."""

__version__ = "0.1.0"
