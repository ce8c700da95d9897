// What the learner is told when the microphone stands in the way, and the way on from there.
// What a closed socket means comes from the server with the page's config (`closes`,
// tutor/conversation/close_notices.py).

export const MIC_PROBLEMS = {
  denied: {
    text: "Microphone access is blocked. Allow it in your browser's site settings (the icon beside the address), then try again. You can type meanwhile.",
    hint: "Microphone blocked. Press to try again after allowing it.",
  },
  missing: {
    text: "No microphone found. Plug one in and try again, or type your answers below.",
    hint: "No microphone found. Press to try again.",
  },
  busy: {
    text: "Your microphone is being used by another app. Close that app and try again, or type below.",
    hint: "Microphone busy. Press to try again.",
  },
  insecure: {
    text: "This browser only allows the microphone on secure (https) pages. You can type below.",
    hint: "Microphone unavailable on this page.",
  },
  failed: {
    text: "The microphone couldn't start. Try again, or type your answers below.",
    hint: "Press to try the microphone again.",
  },
};
