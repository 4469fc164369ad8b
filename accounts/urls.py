from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import (
    ChangePasswordForm,
    EmailAuthenticationForm,
    PasswordResetEmailForm,
    ResetSetPasswordForm,
)
from .views import second_factor

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("two-factor/", second_factor.verify, name="second_factor_verify"),
    path("two-factor/set-up/", second_factor.setup, name="second_factor_setup"),
    path(
        "two-factor/recovery-codes/",
        second_factor.recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path(
        "two-factor/recovery-codes/new/",
        second_factor.recovery_codes_new,
        name="second_factor_recovery_codes_new",
    ),
    path("two-factor/turn-off/", second_factor.turn_off, name="second_factor_turn_off"),
    # "resend/" and "needed/" come before <token> so they are never read as tokens.
    path("verify/resend/", views.resend_verification, name="resend_verification"),
    path("verify/needed/", views.verify_needed, name="verify_needed"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("email/", views.change_email, name="change_email"),
    path("email/confirm/<str:token>/", views.change_email_confirm, name="change_email_confirm"),
    path("profile/", views.profile, name="profile"),
    path("career/", views.career, name="career"),
    path("career/add/", views.career_add, name="career_add"),
    path("career/<int:pk>/edit/", views.career_edit, name="career_edit"),
    path("career/<int:pk>/delete/", views.career_delete, name="career_delete"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetEmailForm,
            template_name="accounts/password_reset.html",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=ResetSetPasswordForm,
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            form_class=ChangePasswordForm,
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
]
