// Answering a card by voice: record until the learner pauses, send the WAV to the server,
// which has Gemini hear it and compares it with the card; then show what was heard, open the
// answer and put focus on the suggested grade. Also plays the card's model answer (server
// speech, or the browser's own voice if the server cannot speak it).
// window.tertuliaDrill is the page's account of itself, for tests (read, never driven).
import { Microphone, MicError } from "../conversation/audio.js";
import { Recording } from "./recording.js";

const { gettext, pgettext } = window; // the djangojs catalog (base.html loads it first)

const drill = document.querySelector("[data-drill]");
const state = { phase: "idle", results: [], played: [], errors: [] };
window.tertuliaDrill = state;

const MIC_MESSAGES = {
  denied: gettext("Microphone access is blocked. Allow it in your browser's site settings, or type your answer."),
  missing: gettext("No microphone was found. Type your answer instead."),
  busy: gettext("The microphone is being used by another app. Close it and try again, or type your answer."),
  insecure: gettext("Recording needs a secure (https) page. Type your answer instead."),
  failed: gettext("The microphone could not start. Try again, or type your answer."),
};
// Nothing plays while the learner answers, so there is no echo to cancel; noise suppression
// and gain control would reshape the very sounds being checked. The answer is sent as heard.
const RECORDING = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
const NOTHING_HEARD = gettext("Nothing was heard. Check your microphone and try again, or type your answer.");

function el(selector) {
  return document.querySelector(selector);
}

function csrfToken() {
  const input = document.querySelector("[data-type-form] [name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function say(message, isError = false) {
  const status = el("[data-drill-status]");
  status.textContent = message;
  status.classList.toggle("drill-error", isError);
  if (isError) state.errors.push(message);
}

function setPhase(phase) {
  state.phase = phase;
  const button = el("[data-record]");
  const labels = {
    idle: gettext("Say your answer"),
    recording: pgettext("button that stops recording an answer", "Stop"),
    checking: gettext("Checking…"),
  };
  el("[data-record-label]").textContent = labels[phase];
  button.classList.toggle("is-recording", phase === "recording");
  button.disabled = phase === "checking";
  button.setAttribute("aria-pressed", String(phase === "recording"));
}

function showResult(data) {
  el("[data-drill-result]").innerHTML = data.html;
  state.results.push({ heard: data.heard, matched: data.matched });
  // The suggested grade becomes the one Enter or Space confirms (deck.js focuses it).
  document.querySelectorAll(".grade-form [data-default]").forEach((b) => b.removeAttribute("data-default"));
  const suggested = document.querySelector(`.grade-form button[value="${data.suggestedRating}"]`);
  if (suggested) suggested.setAttribute("data-default", "");
  const reveal = el("[data-reveal]");
  if (reveal.open) suggested && suggested.focus();
  else reveal.open = true;
  say(""); // the result box says it, and is itself a live region
}

async function send(wav) {
  setPhase("checking");
  say(gettext("Checking your answer…"));
  try {
    const response = await fetch(config.spokenUrl, {
      method: "POST",
      headers: { "Content-Type": "audio/wav", "X-CSRFToken": csrfToken() },
      body: wav,
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({}));
    // The server's message is already in the learner's language.
    if (!response.ok) throw new Error(data.message || gettext("Your answer could not be checked. Try again, or type it."));
    showResult(data);
  } catch (error) {
    const failed = gettext("The connection failed. Try again, or type your answer.");
    say(error instanceof TypeError ? failed : error.message, true);
  } finally {
    setPhase("idle");
  }
}

let recording = null;

async function toggleRecording() {
  if (state.phase === "recording") {
    recording.stop();
    return;
  }
  if (state.phase !== "idle") return;
  say("");
  const microphone = (handlers) =>
    new Microphone(drill.dataset.captureWorklet, { ...handlers, processing: RECORDING });
  recording = new Recording(microphone, {
    onLevel: (level) => (el("[data-level]").style.transform = `scaleX(${Math.min(1, level * 8)})`),
    onDone: (wav) => {
      setPhase("idle");
      el("[data-level]").style.transform = "scaleX(0)";
      if (wav) send(wav);
      else say(NOTHING_HEARD, true);
    },
  });
  try {
    setPhase("recording");
    say(gettext("Listening…"));
    await recording.start();
  } catch (error) {
    setPhase("idle");
    say(MIC_MESSAGES[error instanceof MicError ? error.kind : "failed"], true);
  }
}

function playModelAnswer() {
  const button = el("[data-listen]");
  const audio = el("[data-model-audio]");
  const note = el("[data-listen-note]");
  const fallback = () => {
    if (!("speechSynthesis" in window)) {
      note.textContent = gettext("The answer cannot be played right now.");
      return;
    }
    const utterance = new SpeechSynthesisUtterance(button.dataset.text);
    utterance.lang = button.lang;
    speechSynthesis.cancel();
    speechSynthesis.speak(utterance);
    note.textContent = gettext("Your browser's voice (the server's could not be reached).");
    state.played.push({ source: "browser" });
  };
  audio.onerror = fallback;
  audio.currentTime = 0;
  audio.play().then(
    () => state.played.push({ source: "server" }),
    (error) => (error && error.name === "NotAllowedError" ? null : fallback()),
  );
}

const config = JSON.parse(el("#drill-config").textContent);
if (drill && navigator.mediaDevices && window.AudioWorkletNode) {
  el("[data-speak]").hidden = false;
  el("[data-type-label]").textContent = gettext("Or type your answer");
  el("[data-record]").addEventListener("click", toggleRecording);
}
const listen = el("[data-listen]");
if (listen) {
  listen.hidden = false;
  listen.addEventListener("click", playModelAnswer);
  el("[data-model-audio]").addEventListener("ended", () => {
    const last = state.played[state.played.length - 1];
    if (last) last.ended = true;
  });
}
