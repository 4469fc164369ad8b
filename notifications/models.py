"""The outbox's tables are django-post-office's; this app adds none."""
