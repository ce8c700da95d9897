"""Topic authoring: the teacher's own topics and role-plays, and sharing them as JSON files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from lessons.forms_teacher import TopicForm, TopicImportForm
from lessons.models import Topic
from lessons.selectors.teaching import builtin_topics_for, taught_languages
from lessons.teacher_views.access import teacher_required, user_of
from lessons.topic_io import export_json, import_json

# Fields copied when a teacher starts from a built-in topic.
COPIED = (
    *("language", "level_min", "level_max", "scenario", "tutor_role", "persona_name", "voice"),
    "learner_goal",
)


@teacher_required
def topic_list(request: HttpRequest) -> HttpResponse:
    topics = (
        Topic.objects.filter(author=user_of(request))
        .annotate(assignment_count=Count("assignments"))
        .order_by("language", "title")
    )
    builtin = builtin_topics_for(user_of(request))  # the languages they teach come first
    context = {"topics": topics, "builtin": builtin, "import_form": TopicImportForm()}
    return render(request, "lessons/teacher/topics.html", context)


@teacher_required
@require_http_methods(["GET", "POST"])
def topic_new(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None, author=user_of(request), initial=_copy_initial(request))
    if request.method == "POST" and form.is_valid():
        topic = form.save()
        messages.success(
            request,
            _("Saved “%(title)s”. You can assign it to a classroom now.") % {"title": topic.title},
        )
        return redirect("teach:topics")
    return render(request, "lessons/teacher/topic_form.html", {"form": form})


def _copy_initial(request: HttpRequest) -> dict[str, object]:
    """?from=<built-in topic id> starts a new topic as a copy of it."""
    source = request.GET.get("from", "")
    topic = Topic.objects.builtin().filter(pk=source).first() if source.isdigit() else None
    if topic is None:
        return {"language": taught_languages(user_of(request))[0]}
    initial: dict[str, object] = {name: getattr(topic, name) for name in COPIED}
    initial.update(
        title=_("%(title)s (my version)") % {"title": topic.title},
        grammar_focus=topic.grammar_focus,
        opener=topic.opener,
        phrases="\n".join(topic.target_phrases),
    )
    return initial


@teacher_required
@require_http_methods(["GET", "POST"])
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk, author=user_of(request))
    form = TopicForm(request.POST or None, instance=topic, author=user_of(request))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved “%(title)s”.") % {"title": topic.title})
        return redirect("teach:topics")
    return render(request, "lessons/teacher/topic_form.html", {"form": form, "topic": topic})


@teacher_required
@require_POST
def topic_delete(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk, author=user_of(request))
    if topic.assignments.exists():
        messages.error(
            request,
            _("“%(title)s” is assigned to a classroom, so it stays.") % {"title": topic.title},
        )
    else:
        topic.delete()
        messages.success(request, _("Deleted “%(title)s”.") % {"title": topic.title})
    return redirect("teach:topics")


@teacher_required
def topic_export(request: HttpRequest) -> HttpResponse:
    """All the teacher's topics, or only those ticked (?topic=<id>&topic=<id>)."""
    topics = Topic.objects.filter(author=user_of(request)).order_by("language", "title")
    chosen = [pk for pk in request.GET.getlist("topic") if pk.isdigit()]
    if chosen:
        topics = topics.filter(pk__in=chosen)
    response = HttpResponse(export_json(topics), content_type="application/json; charset=utf-8")
    filename = f"tertulia-topics-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@teacher_required
@require_POST
def topic_import(request: HttpRequest) -> HttpResponse:
    form = TopicImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = import_json(form.cleaned_data["file"].read(), author=user_of(request))
        except ValidationError as invalid:
            for message in invalid.messages:
                messages.error(request, message)
        else:
            count = len(result.created)
            if result.skipped:
                message = ngettext(
                    "Imported %(count)s topic (%(skipped)s you already had).",
                    "Imported %(count)s topics (%(skipped)s you already had).",
                    count,
                ) % {"count": count, "skipped": result.skipped}
            else:
                message = ngettext(
                    "Imported %(count)s topic.", "Imported %(count)s topics.", count
                ) % {"count": count}
            messages.success(request, message)
    else:
        for problem in form.errors.get("file", []):
            messages.error(request, str(problem))
    return redirect("teach:topics")
