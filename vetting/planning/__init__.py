"""Question plans: deep dives grounded in the candidate's own claims, then the case and its follow-ups."""
