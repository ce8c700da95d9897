""" "Say it better" and "Again, slower" in Chromium with the fake microphone, in both wire codecs
(the `codec` fixture): a correct but plain spoken line gets its upgrade card on the live page
(announced) and on the review page; the tutor's last line replays from the audio the page
already has, by button and by keyboard, at normal speed and at 0.75x with its pitch kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from lessons.models import Conversation, Upgrade
from lessons.services.conversations import conversation_start
from tests.base import make_topic
from tests.e2e.browser import WAIT_MS, debug_state, open_conversation, screenshot
from tutor.emulator.roleplay import lines_for
from tutor.emulator.turns import WPM
from tutor.emulator.voice import synthesize

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OPENER = "¿Algo más?"
PHRASES = ["Quiero pagar, por favor.", "¿Me trae la cuenta?"]
BETTER = "Me gustaría pagar, por favor."
GREETING = f"{lines_for('es').notice} {OPENER}"
GREETING_SECONDS = len(synthesize(GREETING, "es", 24000, WPM["A"])) / 48000


def _paying(
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    server: str,
    alice: User,
    said: str,
) -> tuple[Page, Conversation]:
    topic = make_topic(title="Pagar en el bar", target_phrases=PHRASES, opener=OPENER)
    conversation = conversation_start(learner=alice, topic=topic)
    # The learner waits for the whole greeting before speaking: no barge-in.
    wav = speech_wav(said, GREETING_SECONDS + 2.0)
    return open_conversation(launch(wav), server, alice, conversation), conversation


def test_a_plain_correct_line_gets_its_upgrade_live_and_on_the_review_page(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    alice: User,
) -> None:
    page, conversation = _paying(launch, speech_wav, server, alice, "Quiero pagar")
    card = page.locator(".turn-learner .correction-upgrade")
    expect(card).to_be_visible(timeout=WAIT_MS)
    expect(card).to_have_attribute("aria-label", "Say it better")
    expect(card.locator(".correction-kind")).to_have_text("Say it better · correct")
    expect(card.locator(".better")).to_have_text("Better: " + BETTER)
    expect(card.locator(".better ins")).to_have_text("Me gustaría")
    expect(card.locator(".correction-why")).to_contain_text("more polite")
    learner = card.locator("xpath=ancestor::li[1]")
    expect(learner.locator(".turn-text")).to_have_text(PHRASES[0])
    # Screen readers hear it through the transcript's live region.
    expect(page.locator("#announcer")).to_contain_text(f"Say it better: {BETTER}")
    assert page.locator(".correction-upgrade").count() == 1  # one per learner line
    screenshot(page, "upgrade-live")
    upgrade = Upgrade.objects.get(turn__conversation=conversation)
    assert (upgrade.original, upgrade.upgraded) == (PHRASES[0], BETTER)
    page.click("#end-button")
    page.wait_for_url(f"**{reverse('learn:conversation_review', args=[conversation.pk])}")
    review = page.locator(".transcript .correction-upgrade")
    expect(review).to_be_visible(timeout=WAIT_MS)
    expect(review.locator(".badge-upgrade")).to_have_text("Say it better")
    expect(review.locator(".better")).to_contain_text(BETTER)
    expect(page.locator(".stat", has_text="Said better")).to_contain_text("1")
    screenshot(page, "upgrade-review")


def _replays(page: Page) -> list[dict[str, Any]]:
    return list(debug_state(page)["replays"])


def _wait_replayed(page: Page, count: int) -> dict[str, Any]:
    page.wait_for_function(
        f"() => window.tertulia.replays.length >= {count}"
        f" && window.tertulia.replays[{count - 1}].ended",
        timeout=WAIT_MS,
    )
    return _replays(page)[count - 1]


def test_the_tutors_last_line_replays_again_and_slower_by_button_and_keyboard(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    alice: User,
    codec: str,
) -> None:
    page, _ = _paying(launch, speech_wav, server, alice, "")  # the microphone stays quiet
    again, slower = page.locator("#replay-again"), page.locator("#replay-slower")
    # Nothing to replay before the greeting has finished: said, not hidden.
    expect(again).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#replay-hint")).to_contain_text("Nothing to replay yet")
    page.wait_for_function("() => window.tertulia.replayable > 0", timeout=WAIT_MS)
    expect(again).to_have_attribute("aria-disabled", "false")
    expect(slower).to_have_attribute("aria-keyshortcuts", "Alt+Shift+R")
    kept = debug_state(page)["replayable"]
    assert abs(kept - GREETING_SECONDS) < 0.3, (kept, GREETING_SECONDS)  # the whole greeting

    again.focus()  # keyboard-reachable: a real button
    page.keyboard.press("Enter")
    normal = _wait_replayed(page, 1)
    page.keyboard.press("Alt+Shift+R")  # the shortcut, wherever the focus is
    slow = _wait_replayed(page, 2)
    assert (normal["speed"], slow["speed"]) == (1, 0.75)
    assert normal["ended"] == slow["ended"] == "ended"
    assert slow["preservesPitch"] is True and slow["playbackRate"] == 0.75
    assert abs(normal["duration"] - kept) < 0.05  # the same audio both times
    assert abs(slow["duration"] - kept) < 0.05
    ratio = slow["wallSeconds"] / normal["wallSeconds"]
    assert 1.2 < ratio < 1.5, (normal, slow)  # 1/0.75 = 1.33: it played slower, whole
    expect(page.locator("#announcer")).to_contain_text(
        "Playing the tutor's last line again, slower."
    )


def test_the_slower_replay_keeps_the_pitch(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    alice: User,
) -> None:
    """The replay's WAV and element on a 440 Hz tone: what comes out at 0.75x is still 440 Hz
    (a plain slow-down gives 330 Hz), measured from the element's own output stream."""
    page, _ = _paying(launch, speech_wav, server, alice, "")
    module = page.locator("#talk").get_attribute("data-playback-worklet") or ""
    replay_url = module.replace("worklets/playback.js", "conversation/replay.js")
    peak = page.evaluate(PITCH_PROBE, replay_url)
    assert abs(peak["normal"] - 440) < 15, peak
    assert abs(peak["slower"] - 440) < 15, peak
    assert abs(peak["unkept"] - 330) < 15, peak  # the probe hears a drop when there is one


# Plays a 2 s 440 Hz tone through the page's own `wav` and an <audio> element at 1x and 0.75x
# (and 0.75x without preservesPitch, to show the probe can tell), and returns the loudest
# frequency heard on the element's captured output each time.
PITCH_PROBE = """
async (url) => {
  const { wav } = await import(url);
  const samples = new Int16Array(48000);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(12000 * Math.sin((2 * Math.PI * 440 * i) / 24000));
  }
  const peak = async (rate, keep = true) => {
    const audio = new Audio(URL.createObjectURL(wav(samples)));
    audio.preservesPitch = keep;
    audio.playbackRate = rate;
    const context = new AudioContext();
    await audio.play();
    const source = context.createMediaStreamSource(audio.captureStream());
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    source.connect(analyser);
    await new Promise((done) => setTimeout(done, 900));
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    audio.pause();
    await context.close();
    let best = 0;
    for (let i = 1; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
    return best * context.sampleRate / analyser.fftSize;
  };
  return { normal: await peak(1), slower: await peak(0.75), unkept: await peak(0.75, false) };
}
"""
