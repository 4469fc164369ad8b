"""Forms of the staff console, by topic.

screening: the queue's filters and screening decisions.
places: offers, turning down, capacity, the waiting list and attendance.
invitations: inviting one person, or many from a CSV file.
programmes: a programme's details, creating one, publishing.
team: adding someone to a programme's team, changing a role.
"""
