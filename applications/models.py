"""Applications, eligibility rules, offers, places and waiting lists (built in later issues)."""
