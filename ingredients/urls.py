app_name = "ingredients"
urlpatterns: list = []
