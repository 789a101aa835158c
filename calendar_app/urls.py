app_name = "calendar_app"

urlpatterns = []
