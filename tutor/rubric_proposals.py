"""`POST /teach/assignments/<pk>/learners/<learner>/rubric/propose/`: the tutor proposes a
score per criterion from the learner's transcripts (tutor.live.rubric); the proposals, with
only the learner's own turns as evidence, are stored for the teacher to accept or change
(lessons.services.rubrics). Here because it needs Gemini; the key stays here."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lessons.models import Criterion, Turn
from lessons.services.rubrics import proposals_store
from lessons.teacher_views.access import member_of, own_assignment, teacher_required
from tutor.learner_texts import unavailable_text
from tutor.live import upstream
from tutor.live.rubric import propose_scores
from tutor.live.text_reply import TutorUnavailable
from tutor.prompts.rubrics import RubricLine, request, system_instruction


@require_POST
@teacher_required
def propose(http: HttpRequest, pk: int, learner_pk: int) -> HttpResponse:
    assignment = own_assignment(http, pk)
    learner = member_of(assignment.classroom, learner_pk)
    criteria = [
        (c.key, c.name, list(c.descriptors))
        for c in Criterion.objects.filter(rubric__assignment=assignment)
    ]
    turns = Turn.objects.filter(
        conversation__assignment=assignment, conversation__learner=learner
    ).order_by("conversation__started_at", "ordinal")
    lines = [RubricLine(str(t.conversation_id), t.ordinal, t.speaker, t.text) for t in turns]
    if not criteria:
        messages.error(http, _("Attach a rubric to this assignment first."))
        return redirect("teach:assignment", pk=assignment.pk)
    asked = request(
        language=assignment.classroom.language,
        level=learner.level,
        phrases=assignment.topic.target_phrases,
        criteria=criteria,
        lines=lines,
    )
    try:
        proposals = _ask(asked)
    except TutorUnavailable as exc:
        messages.error(http, unavailable_text(exc))
    else:
        stored = proposals_store(assignment=assignment, learner=learner, proposals=proposals)
        messages.success(
            http,
            _("The tutor proposed %(stored)s of %(total)s criteria. Check each, then save.")
            % {"stored": stored, "total": len(criteria)},
        )
    return redirect("teach:grade", pk=assignment.pk, learner_pk=learner.pk)


def _ask(asked: str) -> list[dict[str, object]]:
    return async_to_sync(propose_scores)(
        upstream.client(),
        model=settings.GEMINI_TEXT_MODEL,
        system=system_instruction(),
        request=asked,
    )
