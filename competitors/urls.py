app_name = "competitors"

urlpatterns = []
