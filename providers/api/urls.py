"""Provider API under /api/v1/: token-authenticated, own programmes only."""

urlpatterns: list = []
