"""The platform's side of Tertulia: OIDC login initiation, the launch, deep linking and the
tool's public keys. Any launch django-lti refuses (signature, issuer, audience, deployment,
nonce replay, state) gets a page that says what went wrong, never a stack trace."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth import login
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from lti_tool.constants import SESSION_KEY
from lti_tool.models import Key, LtiLaunch
from lti_tool.utils import DjangoToolConfig, sync_data_from_launch
from lti_tool.views import LtiLaunchBaseView, OIDCLoginInitView
from pylti1p3.contrib.django import DjangoOIDCLogin
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException
from pylti1p3.lineitem import LineItem

from accounts.models import User
from lessons.lti import provisioning
from lessons.lti.roster import sync_roster
from lessons.lti.storage import DatabaseLaunchStorage, launch_from_request, purge_expired
from lessons.models import Assignment, Classroom, LtiActivity, LtiCourse, LtiUsedNonce, Topic
from lessons.services.classrooms import assignable_topics, assignment_create

log = logging.getLogger(__name__)
LAUNCH_KEY = "tertulia_lti_launch"  # the session's deep-linking launch id
BACKEND = "django.contrib.auth.backends.ModelBackend"


def ensure_key() -> None:
    """The tool's first signing key, made when first needed (`manage.py rotate_keys` turns
    them over): a fresh site can be registered without a step to forget."""
    if not Key.objects.active().exists():
        Key.objects.generate()


def jwks(request: HttpRequest) -> HttpResponse:
    ensure_key()
    return JsonResponse(Key.objects.as_jwks())


def refused(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(request, "lessons/lti/refused.html", {"message": message}, status=status)


class LoginView(OIDCLoginInitView):
    """OIDC third-party login initiation; the browser comes back to `LaunchView`."""

    def get_oidc_response(self, request: Any, registration_uuid: Any, params: Any) -> Any:
        ensure_key()
        purge_expired()  # one indexed delete per login keeps the table to a day's logins
        target_link_uri = params.get("target_link_uri")
        if target_link_uri is None:
            return refused(request, _why("target_link_uri missing"), status=400)
        # django-lti's own method, on the database storage instead of Django's cache.
        oidc_login = DjangoOIDCLogin(
            request,
            DjangoToolConfig(registration_uuid),
            launch_data_storage=DatabaseLaunchStorage(),
        )
        try:
            return oidc_login.enable_check_cookies(
                self.main_msg, self.click_msg, self.loading_msg
            ).redirect(self.get_redirect_url(target_link_uri))
        except LtiException as exc:
            log.info("LTI login refused: %s", exc)
            return refused(request, _why(str(exc)), status=400)


@method_decorator((csrf_exempt, xframe_options_exempt), name="dispatch")
class LaunchView(LtiLaunchBaseView):
    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return self._launch(request)
        except LtiException as exc:
            log.info("LTI launch refused: %s", exc)
            return refused(request, _why(str(exc)))

    def _launch(self, request: Any) -> HttpResponse:
        """django-lti's `LtiLaunchBaseView.post` (its LTI 1.1 migration claim left out: no
        Tertulia platform had 1.1), with the launch read from the database storage."""
        request.session.clear()
        lti_launch = launch_from_request(request)
        sync_data_from_launch(lti_launch, None)
        self.launch_setup(request, lti_launch)
        if not lti_launch.deployment.is_active:
            return self.handle_inactive_deployment(request, lti_launch)
        request.session[SESSION_KEY] = lti_launch.get_launch_id()
        request.lti_launch = lti_launch
        if lti_launch.is_resource_launch:
            return self.handle_resource_launch(request, lti_launch)
        if lti_launch.is_deep_link_launch:
            return self.handle_deep_linking_launch(request, lti_launch)
        if lti_launch.is_submission_review_launch:
            return self.handle_submission_review_launch(request, lti_launch)
        return self.handle_data_privacy_launch(request, lti_launch)

    def launch_setup(self, request: HttpRequest, lti_launch: LtiLaunch) -> None:
        """After django-lti's checks: refuse an id_token seen before (a replay)."""
        issuer, nonce = lti_launch.get_claim("iss"), lti_launch.get_claim("nonce")
        LtiUsedNonce.objects.filter(used_at__lt=timezone.now() - timedelta(days=1)).delete()
        try:
            with transaction.atomic():
                LtiUsedNonce.objects.create(value=f"{issuer} {nonce}"[:255])
        except IntegrityError:
            raise LtiException("nonce already used") from None

    def handle_inactive_deployment(self, request: HttpRequest, lti_launch: LtiLaunch) -> Any:
        return refused(
            request,
            _(
                "This course's platform is not enabled in Tertulia yet (unknown deployment). "
                "Ask the site's administrator to activate it."
            ),
        )

    def handle_resource_launch(self, request: HttpRequest, lti_launch: LtiLaunch) -> Any:
        teacher = provisioning.teaches(lti_launch)
        language = lti_launch.get_custom_claim("language")
        user = provisioning.account_for(lti_launch.user, teacher=teacher, language=language)
        try:
            classroom = provisioning.classroom_for(
                lti_launch.context, teacher=user if teacher else None, language=language
            )
        except provisioning.NotSetUp:
            return refused(
                request,
                _(
                    "Your teacher has not opened Tertulia in this course yet. Try again after "
                    "they have."
                ),
                status=409,
            )
        _sign_in(request, user, lti_launch)
        assignment = _assignment_of(lti_launch, classroom)
        if teacher:
            if sync_roster(lti_launch.context, classroom) is None and lti_launch.nrps_claim:
                request.session["lti_roster_failed"] = True
            if assignment is not None:
                return redirect("teach:assignment", pk=assignment.pk)
            return redirect("teach:classroom", pk=classroom.pk)
        provisioning.enrol(classroom, user)
        if assignment is None:
            return redirect("lessons:home")
        _learn_line_item(lti_launch, assignment)
        return redirect("lti:start", pk=assignment.pk)

    def handle_deep_linking_launch(self, request: HttpRequest, lti_launch: LtiLaunch) -> Any:
        if not provisioning.teaches(lti_launch):
            return refused(request, _("Only the course's teachers can add Tertulia activities."))
        language = lti_launch.get_custom_claim("language")
        user = provisioning.account_for(lti_launch.user, teacher=True, language=language)
        # The course's classroom, made now if this is its first launch: the pick page needs it.
        provisioning.classroom_for(lti_launch.context, teacher=user, language=language)
        _sign_in(request, user, lti_launch)
        request.session[LAUNCH_KEY] = lti_launch.get_launch_id()
        return redirect("lti:pick")


class PickForm(forms.Form):
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(), label=gettext_lazy("Topic or role-play")
    )
    due_at = forms.DateTimeField(
        label=gettext_lazy("Due"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    min_speaking_minutes = forms.IntegerField(
        label=gettext_lazy("Minutes of speaking for full marks"),
        min_value=1,
        max_value=60,
        initial=5,
    )

    def __init__(self, *args: Any, classroom: Classroom, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topic"]
        field.queryset = assignable_topics(  # type: ignore[attr-defined]
            teacher=classroom.teacher, language=classroom.language
        )
        if not self.is_bound:
            due = timezone.localtime() + timedelta(days=7)
            self.initial["due_at"] = due.strftime("%Y-%m-%dT%H:%M")


@xframe_options_exempt
def pick(request: HttpRequest) -> HttpResponse:
    """The teacher picks what the activity is; the platform gets it as a deep link with a
    gradebook column (line item) out of 100."""
    launch = _deep_linking_launch(request)
    if launch is None:
        return refused(request, _("Start from your course: add a Tertulia activity there."), 400)
    course = LtiCourse.objects.select_related("classroom").get(context=launch.context)
    classroom = course.classroom
    form = PickForm(request.POST or None, classroom=classroom)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assignment = assignment_create(
            classroom=classroom,
            topic=data["topic"],
            due_at=data["due_at"],
            min_speaking_minutes=data["min_speaking_minutes"],
        )
        LtiActivity.objects.create(assignment=assignment, course=course)
        resource = (
            DeepLinkResource()
            .set_url(request.build_absolute_uri(reverse("lti:launch")))
            .set_title(assignment.topic.title)
            .set_custom_params({"assignment": str(assignment.pk)})
            .set_lineitem(
                LineItem()
                .set_label(assignment.topic.title)
                .set_score_maximum(100)
                .set_tag("tertulia-speaking")
                .set_resource_id(str(assignment.pk))
            )
        )
        request.session.pop(LAUNCH_KEY, None)
        return launch.deep_link_response([resource])
    return render(request, "lessons/lti/pick.html", {"form": form, "classroom": classroom})


def start_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The activity as a learner opens it from their course: what to do, and Start."""
    user = request.user
    if not isinstance(user, User):
        return refused(request, _("Open this activity from your course."), 401)
    assignment = (
        Assignment.objects.select_related("topic", "classroom")
        .filter(pk=pk, classroom__learners=user)
        .first()
    )
    if assignment is None:
        return refused(request, _("This activity is not in one of your courses."), 404)
    return render(request, "lessons/lti/start.html", {"assignment": assignment})


def _sign_in(request: HttpRequest, user: User, lti_launch: LtiLaunch) -> None:
    launch_id = request.session.get(SESSION_KEY)
    login(request, user, backend=BACKEND)  # no Tertulia password: the platform vouched
    if launch_id:  # login() may cycle the session: keep django-lti's launch in it
        request.session[SESSION_KEY] = launch_id


def _assignment_of(lti_launch: LtiLaunch, classroom: Classroom) -> Assignment | None:
    value = lti_launch.get_custom_claim("assignment") or ""
    if not value.isdigit():
        return None
    return Assignment.objects.filter(pk=int(value), classroom=classroom).first()


def _learn_line_item(lti_launch: LtiLaunch, assignment: Assignment) -> None:
    """The launch's AGS claim names the activity's line item and what we may do with it."""
    claim = lti_launch.ags_claim or {}
    activity = LtiActivity.objects.filter(assignment=assignment).first()
    if activity is None or not claim.get("lineitem"):
        return
    can_publish = "https://purl.imsglobal.org/spec/lti-ags/scope/score" in claim.get("scope", [])
    if (activity.lineitem_url, activity.can_publish_scores) != (claim["lineitem"], can_publish):
        activity.lineitem_url, activity.can_publish_scores = claim["lineitem"], can_publish
        activity.save(update_fields=["lineitem_url", "can_publish_scores"])


def _deep_linking_launch(request: HttpRequest) -> LtiLaunch | None:
    launch_id = request.session.get(LAUNCH_KEY)
    if not launch_id:
        return None
    try:
        launch = launch_from_request(request, launch_id)
    except LtiException:
        return None
    return launch if launch.is_deep_link_launch else None


def _why(error: str) -> str:
    """A sentence for a person from PyLTI1p3's message (which names the check that failed)."""
    lowered = error.lower()
    if "nonce" in lowered:
        return _("This launch was already used. Open the activity again from your course.")
    if "state" in lowered:
        return _(
            "Your browser did not keep the launch's cookie. Open the activity in a new tab "
            "or window from your course."
        )
    if "issuer" in lowered or "registration" in lowered or "client" in lowered:
        return _("This platform is not registered with Tertulia. Ask the site's administrator.")
    if "deployment" in lowered:
        return _("This course's deployment is not registered with Tertulia.")
    if "aud" in lowered:
        return _("This launch was meant for another tool.")
    if "signature" in lowered or "jwt" in lowered or "key" in lowered:
        return _("The launch could not be verified (its signature did not match).")
    return _("The launch could not be checked. Open the activity again from your course.")
