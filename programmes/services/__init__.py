"""Writes in the catalogue, by topic: future-dates subscriptions, and (for the console)
programmes, cohorts and teams."""
