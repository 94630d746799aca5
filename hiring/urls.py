"""The interviewer and hiring-lead pages. Other code links to these names."""

from django.urls import path

from hiring import views

app_name = "hiring"

urlpatterns = [
    path("", views.home, name="home"),
    path("scorecards/", views.my_scorecards, name="my_scorecards"),
    path("scorecards/<int:pk>/", views.scorecard, name="scorecard"),
    path("scorecards/<int:pk>/revise/", views.scorecard_revise, name="scorecard_revise"),
    path("roles/", views.my_roles, name="my_roles"),
    path("roles/<int:pk>/compare/", views.compare, name="compare"),
    path("applications/<int:pk>/", views.candidate, name="candidate"),
]
