// What the learner is told when the microphone stands in the way, and the way on from there.
// What a closed socket means comes from the server with the page's config (`closes`,
// tutor/conversation/close_notices.py).

const { gettext } = window; // the djangojs catalog (base.html loads it first)

export const MIC_PROBLEMS = {
  denied: {
    text: gettext("Microphone access is blocked. Allow it in your browser's site settings (the icon beside the address), then try again. You can type meanwhile."),
    hint: gettext("Microphone blocked. Press to try again after allowing it."),
  },
  missing: {
    text: gettext("No microphone found. Plug one in and try again, or type your answers below."),
    hint: gettext("No microphone found. Press to try again."),
  },
  busy: {
    text: gettext("Your microphone is being used by another app. Close that app and try again, or type below."),
    hint: gettext("Microphone busy. Press to try again."),
  },
  insecure: {
    text: gettext("This browser only allows the microphone on secure (https) pages. You can type below."),
    hint: gettext("Microphone unavailable on this page."),
  },
  failed: {
    text: gettext("The microphone couldn't start. Try again, or type your answers below."),
    hint: gettext("Press to try the microphone again."),
  },
};
