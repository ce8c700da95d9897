// Caption text on the conversation page: joining transcription fragments as they arrive.
// Phrase matching and correction diffs are decided on the server (tutor/conversation/feedback.py).

const NO_SPACE_BEFORE = new Set(".,;:!?)]}»”’…、。！？");
const CJK = /[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]/u;

export function isCjk(char) {
  return CJK.test(char);
}

// The same rule as the server's join_fragments: fragments may or may not carry their spaces.
export function joinFragment(text, fragment) {
  if (!text || !fragment) return text + fragment;
  const before = text[text.length - 1];
  const after = fragment[0];
  const needsSpace =
    !/\s/u.test(before) && !/\s/u.test(after) && !NO_SPACE_BEFORE.has(after) &&
    !isCjk(before) && !isCjk(after);
  return needsSpace ? `${text} ${fragment}` : text + fragment;
}
