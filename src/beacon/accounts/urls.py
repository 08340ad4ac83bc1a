from django.urls import path

from beacon.accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", views.sign_in, name="login"),
    path("accounts/second-factor/", views.second_factor, name="second_factor"),
    path("accounts/logout/", views.sign_out, name="logout"),
    path("staff/account/tokens/", views.tokens, name="tokens"),
    path("staff/account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("staff/account/sign-in-failures/", views.sign_in_failures, name="sign_in_failures"),
    path("staff/users/", views.user_list, name="users"),
    path("staff/users/new/", views.user_create, name="user_create"),
    path("staff/users/<int:pk>/", views.user_edit, name="user_edit"),
    path("staff/users/<int:pk>/reset-second-factor/", views.user_reset_second_factor, name="user_reset_2fa"),
]
