"""Public pages of the applications app: "Am I eligible?" needs no account."""

app_name = "eligibility"

urlpatterns: list = []
