"""Views of the staff console, by topic: cohorts, screening, places, invitations,
programmes and their teams.

access.py holds the checks they all make, and the one 403 page.
"""
