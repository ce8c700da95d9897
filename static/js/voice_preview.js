// "Hear this voice" next to a choice of the tutor's voice (templates/partials/voice_field.html):
// fetches the voice's sample from the server (tutor/voice_preview.py, kept after its first
// synthesis) and plays it. What happens is said in the field's own status line, which screen
// readers announce. Without this file the choice still works; the button stays hidden.
(() => {
  "use strict";
  const { gettext, interpolate } = window; // the djangojs catalog (base.html loads it first)

  function setUp(field) {
    const select = field.querySelector("select");
    const button = field.querySelector("[data-voice-play]");
    const status = field.querySelector("[data-voice-status]");
    const languageFrom = field.dataset.languageFrom
      ? document.getElementById(field.dataset.languageFrom)
      : null;
    const audio = new Audio();
    let objectUrl = null;
    let busy = false;

    const say = (text) => {
      status.textContent = text;
    };
    const voiceName = () => select.value || "default";
    const label = () => (select.value ? select.value : gettext("The language's usual voice"));
    const sayAbout = (text) => say(interpolate(text, { voice: label() }, true));
    const language = () => (languageFrom ? languageFrom.value : field.dataset.language);

    async function play() {
      if (busy) return;
      busy = true;
      button.setAttribute("aria-disabled", "true");
      const url = field.dataset.url
        .replace("VOICE", encodeURIComponent(voiceName()))
        .replace("LANG", encodeURIComponent(language()));
      sayAbout(gettext("Loading %(voice)s…"));
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) {
          // The server's message, when it sends one, is already in the learner's language.
          let message = gettext("This voice's sample cannot be played right now.");
          try {
            message = (await response.json()).message || message;
          } catch (_) {
            // not JSON: keep the general message
          }
          say(message);
          return;
        }
        const blob = await response.blob();
        if (objectUrl) URL.revokeObjectURL(objectUrl);
        objectUrl = URL.createObjectURL(blob);
        audio.src = objectUrl;
        field.dataset.playedVoice = voiceName();
        field.dataset.playedLanguage = language();
        await audio.play();
        sayAbout(gettext("Playing %(voice)s."));
      } catch (error) {
        say(
          error && error.name === "NotAllowedError"
            ? gettext("Your browser blocked the sound. Press the button again.")
            : gettext("The sample could not be loaded. Check your connection and try again."),
        );
      } finally {
        busy = false;
        button.removeAttribute("aria-disabled");
      }
    }

    audio.addEventListener("ended", () => sayAbout(gettext("%(voice)s: sample finished.")));
    // A sample of another voice or language is another sample: stop the one playing.
    const stop = () => {
      audio.pause();
      say("");
    };
    select.addEventListener("change", stop);
    if (languageFrom) languageFrom.addEventListener("change", stop);
    button.addEventListener("click", play);
    button.hidden = false;
  }

  document.querySelectorAll("[data-voice-preview]").forEach(setUp);
})();
