"""The provider area, /provider/."""

app_name = "provider"

urlpatterns: list = []
