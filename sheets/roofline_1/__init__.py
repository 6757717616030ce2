"""Sheet roofline-1, "Performance Modeling and Roofline Analysis" (tutorial sheet 1)."""
