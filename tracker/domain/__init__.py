"""Plain data and rules of the plan: no Qt, no SQL."""
