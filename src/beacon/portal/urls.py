from django.urls import path

from beacon.portal import statistics, views

app_name = "portal"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("signs/", views.signs, name="signs"),
    path("rights/", views.rights, name="rights"),
    path("workers/", views.workers, name="workers"),
    path("young-people/", views.young_people, name="young_people"),
    path("how-to-report/", views.how_to_report, name="how_to_report"),
    path("find-help/", views.find_help, name="find_help"),
    path("report/", views.report, name="report"),
    path("report/digits/", views.report_digits, name="report_digits"),
    path("report/follow-up/", views.follow_up, name="follow_up"),
    path("report/follow-up/add/", views.follow_up_add, name="follow_up_add"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics/synthetic.csv", statistics.synthetic_csv, name="statistics_csv"),
]
