"""Views of the staff console, by topic: cohorts, screening, places."""
