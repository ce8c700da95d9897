"""A learner's recorded turn, played on the teacher's transcript when the class allows it
(lessons/services/privacy.py). Anything else is 404, so ids cannot be probed."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from lessons.models import TurnAudio
from lessons.services.privacy import teacher_may_listen
from lessons.teacher_views.access import teacher_required, visible_conversation


@teacher_required
def turn_audio(request: HttpRequest, pk: uuid.UUID, turn_pk: int) -> HttpResponse:
    conversation = visible_conversation(request, pk)
    if not teacher_may_listen(conversation):
        raise Http404("No such recording")
    audio = get_object_or_404(TurnAudio, turn__pk=turn_pk, turn__conversation=conversation)
    try:
        with audio.file.open("rb") as handle:  # one turn: seconds of 16 kHz PCM16
            wav = handle.read()
    except FileNotFoundError as exc:  # deleted by retention between the page and the play
        raise Http404("No such recording") from exc
    response = HttpResponse(wav, content_type="audio/wav")
    response["Cache-Control"] = "private, no-store"
    return response
