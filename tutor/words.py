"""Tap a word: the conversation page's and the review page's word lookup, which needs Gemini.

- `POST /conversations/<uuid>/words/` (JSON `{"word", "sentence", "turn"}`, CSRF): the word's
  lemma, meaning in the learner's native language, part of speech and an example. Explained
  once per language, word and native language (`lessons.models.WordEntry`): a second learner
  tapping the same word costs no model call, and taps arriving together in one process share
  one call. Every tap is recorded on its line (`WordLookup`) and counted against the limits.
- `POST /conversations/<uuid>/words/<lookup>/deck/`: the looked-up word as a card in the
  learner's deck. Anonymous trials are offered a sign-up instead.

Who may look up: the conversation's owner (its learner, or the browser that began the trial),
also once it has ended, so that the review page can use it. Anyone else gets what the typed
fallback gives them. The key stays here.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from uuid import UUID

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lessons.models import Conversation, WordEntry
from lessons.services import words as services
from lessons.services.limits import LimitExceeded
from lessons.text.lookup import cache_key, clean_sentence, clean_word
from tutor.conversation import protocol
from tutor.conversation.access import HTTP_STATUS, client_ip, owns, refusal, request_scope
from tutor.learner_texts import unavailable_text
from tutor.live import upstream
from tutor.live.words import TutorUnavailable, WordAnswer, WordQuestion, explain_word
from tutor.prompts import native_language_name

MAX_BODY_BYTES = 4096
BAD_WORD = gettext_lazy("Pick one word of the line to look it up.")
SIGN_UP = gettext_lazy("Sign up (it's free) to keep words in your deck.")
# Lookups of one uncached word in flight in this process: later taps wait for the first call.
_IN_FLIGHT: dict[tuple[str, str, str], asyncio.Future[WordAnswer]] = {}


def _failure(error: str, message: str | Promise, status: int, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": error, "message": str(message), **extra}, status=status)


@require_POST
async def lookup(request: HttpRequest, pk: UUID) -> JsonResponse:
    conversation = await sync_to_async(_conversation)(pk)
    scope = await sync_to_async(request_scope)(request)
    if conversation is None or not owns(conversation, scope):
        code = refusal(conversation, scope)
        status = HTTP_STATUS.get(code or protocol.CLOSE_NOT_YOURS, 404)
        return _failure("not_available", _("This conversation is not available."), status)
    body = _body(request)
    raw_word, raw_sentence, turn = body.get("word"), body.get("sentence") or "", body.get("turn")
    if not isinstance(raw_word, str) or not isinstance(raw_sentence, str):
        return _failure("bad_request", BAD_WORD, 400)
    sentence = clean_sentence(raw_sentence)
    word = clean_word(raw_word, conversation.language, sentence)
    if word is None or (turn is not None and (type(turn) is not int or not 0 <= turn < 2**31)):
        return _failure("bad_request", BAD_WORD, 400)
    try:
        tap = await sync_to_async(services.word_lookup_start)(
            conversation=conversation, turn_ordinal=turn, word=word, ip=client_ip(request)
        )
    except LimitExceeded as exc:
        return _failure("rate_limited", str(exc), 429)
    learner = conversation.learner
    native = learner.native_language if learner else "en"
    entry = await sync_to_async(services.word_entry_cached)(
        language=conversation.language, word=word, native_language=native
    )
    cached = entry is not None
    if entry is None:
        question = WordQuestion(
            conversation.language,
            native,
            native_language_name(native),
            conversation.level,
            word,
            sentence or word,
        )
        try:
            answer = await _explain_once((conversation.language, cache_key(word), native), question)
        except TutorUnavailable as exc:
            return _failure(exc.code, unavailable_text(exc), 503)
        entry = await sync_to_async(services.word_entry_store)(
            language=conversation.language,
            word=word,
            native_language=native,
            explanation=services.Explanation(
                answer.lemma, answer.meaning, answer.pos, answer.example
            ),
            level=conversation.level,
            model=settings.GEMINI_TEXT_MODEL,
        )
    await sync_to_async(services.word_lookup_finish)(lookup=tap, entry=entry)
    in_deck = learner is not None and await sync_to_async(services.word_card_exists)(
        learner=learner, lookup=tap
    )
    return JsonResponse(_payload(conversation, word, entry, tap.pk, cached=cached, in_deck=in_deck))


@require_POST
async def add_to_deck(request: HttpRequest, pk: UUID, lookup_id: int) -> JsonResponse:
    user = await request.auser()
    if not user.is_authenticated:
        return _failure("sign_up", SIGN_UP, 403, signupUrl=reverse("account_signup"))
    try:
        card, created = await sync_to_async(services.word_add_to_deck)(
            learner=user, lookup_id=lookup_id, conversation_id=pk
        )
    except LookupError:
        return _failure("not_found", _("That word was not looked up here."), 404)
    message = (
        _("Added “%(card)s” to your deck.") % {"card": card.text}
        if created
        else _("“%(card)s” is already in your deck.") % {"card": card.text}
    )
    return JsonResponse(
        {
            "created": created,
            "card": card.text,
            "message": message,
            "deckUrl": reverse("learn:deck"),
        }
    )


async def _explain_once(key: tuple[str, str, str], question: WordQuestion) -> WordAnswer:
    """One model call per word at a time in this process; every tap waiting for it shares it.
    Shielded: a learner who gives up does not cancel the call others wait for."""
    future = _IN_FLIGHT.get(key)
    if future is None or future.get_loop() is not asyncio.get_running_loop():
        future = asyncio.ensure_future(
            explain_word(upstream.client(), model=settings.GEMINI_TEXT_MODEL, question=question)
        )
        _IN_FLIGHT[key] = future
        future.add_done_callback(lambda done: _forget(key, done))
    return await asyncio.shield(future)


def _forget(key: tuple[str, str, str], done: asyncio.Future[WordAnswer]) -> None:
    if _IN_FLIGHT.get(key) is done:
        del _IN_FLIGHT[key]
    if not done.cancelled():
        done.exception()  # retrieved here, so an error nobody awaited is not logged as lost


def _payload(
    conversation: Conversation,
    word: str,
    entry: WordEntry,
    lookup_id: int,
    *,
    cached: bool,
    in_deck: bool,
) -> dict[str, Any]:
    trial = conversation.learner_id is None
    return {
        "word": word,
        "lemma": entry.lemma,
        "meaning": entry.meaning,
        "pos": entry.pos,
        "example": entry.example,
        "language": conversation.language,
        "cached": cached,
        "lookup": lookup_id,
        "inDeck": in_deck,
        # A trial has no deck yet: the page offers sign-up instead of "Add to deck".
        "addUrl": None
        if trial
        else reverse("tutor:word_to_deck", args=[conversation.pk, lookup_id]),
        "signupUrl": reverse("account_signup") if trial else None,
    }


def _conversation(pk: UUID) -> Conversation | None:
    return Conversation.objects.select_related("learner").filter(pk=pk).first()


def _body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type != "application/json" or len(request.body) > MAX_BODY_BYTES:
        return {}
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
