from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import language
from accounts.choices import CAN_DO, Role
from accounts.forms import (
    DeleteAccountForm,
    LearnerOnboardingForm,
    ProfileForm,
    TeacherOnboardingForm,
)

# Where each kind of user starts once onboarded (URL names; accounts imports no other app).
START_PAGES: dict[str, str] = {Role.LEARNER: "lessons:home", Role.TEACHER: "teach:dashboard"}
# A learner may find their level by speaking instead (the spoken placement's page).
PLACEMENT, PLACEMENT_PAGE = "placement", "learn:placement"


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest) -> HttpResponse:
    """First "I am learning" or "I teach" (?role=), then the questions for that path."""
    role = request.POST.get("role") or request.GET.get("role")
    if role not in START_PAGES:
        return render(request, "accounts/onboarding_choice.html", {"next": _safe_next(request)})
    form_class = TeacherOnboardingForm if role == Role.TEACHER else LearnerOnboardingForm
    form = form_class(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.onboarded = True
        user.save()
        language.follow(request)
        if role == Role.TEACHER:
            messages.success(
                request, _("You're all set. Start with a classroom for your learners.")
            )
        elif request.POST.get("then") == PLACEMENT:
            return redirect(PLACEMENT_PAGE)
        else:
            messages.success(request, _("You're all set. Pick a topic and start talking!"))
        return redirect(_safe_next(request) or START_PAGES[role])
    context = {"form": form, "can_do": CAN_DO, "next": _safe_next(request), "role": role}
    template = f"accounts/onboarding_{role}.html"
    return render(request, template, context)


def _safe_next(request: HttpRequest) -> str | None:
    """The `next` path to continue to after onboarding, if it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        language.follow(request)
        messages.success(request, _("Profile saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        # Conversations, turns, corrections, phrases and memberships go with it (CASCADE).
        user.delete()
        messages.success(request, _("Your account and all of its data have been deleted."))
        return redirect("landing")
    return render(request, "accounts/delete.html", {"form": form})
