"""repp scoring: focus-area scores and rankings, comparisons and suppression (pure functions)."""
