"""(filled in by the surveys' views)"""

urlpatterns: list = []
