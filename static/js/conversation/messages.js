// What the learner is told when something stands in the way, and the way on from there.

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

// Close codes from tutor/conversation/protocol.py. `final`: stop the microphone and the socket for good.
const CLOSES = {
  1000: ["ended", "info", true, "This conversation has ended.", [["See how it went", "review", true]]],
  1006: ["closed", "error", true, "We couldn't reconnect. Check your connection, then reload to pick up where you left off.", [["Reload", "reload", true]]],
  4400: ["closed", "error", false, "The connection hit a snag and was closed.", [["Reconnect", "reconnect", true]]],
  4401: ["closed", "error", true, "You've been signed out. Sign in again to carry on.", [["Sign in", "login", true]]],
  4403: ["closed", "error", true, "This conversation isn't available to you.", [["Go home", "home", true]]],
  4408: ["ended", "info", true, "That's the longest a conversation can run. Start a new one to keep practising.", [["See how it went", "review", true]]],
  4409: ["closed", "info", false, "This conversation is open in another tab or window.", [["Continue here", "reconnect", true]]],
  4410: ["ended", "info", true, "This conversation has ended.", [["See how it went", "review", true]]],
  4413: ["closed", "error", false, "The connection hit a snag and was closed.", [["Reconnect", "reconnect", true]]],
  4429: ["closed", "error", false, "Too much audio arrived at once, so the connection was closed.", [["Reconnect", "reconnect", true]]],
  4502: ["unavailable", "error", true, "The tutor is unavailable right now. Your transcript is saved — try again in a minute.", [["Try again", "reload", true], ["See how it went", "review", false]]],
};

export function closeNotice(code) {
  const [state, tone, final, text, actions] = CLOSES[code] || CLOSES[1006];
  return {
    state,
    tone,
    final,
    text,
    actions: actions.map(([label, act, primary]) => ({ label, act, primary })),
  };
}
