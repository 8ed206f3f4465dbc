"""The Decent Work profile: the per-dimension score table every graded block updates, the scope walk, arithmetic, cohort figures and presentation."""
