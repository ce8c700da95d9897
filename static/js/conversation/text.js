// Text helpers for the conversation page: fragment joining, phrase matching, correction diffs.

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

// Accent- and case-insensitive, punctuation-blind form for "did the learner use this phrase".
export function normalise(text) {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export function containsPhrase(said, phrase) {
  const haystack = ` ${normalise(said)} `;
  const needle = normalise(phrase);
  return needle !== "" && haystack.includes(` ${needle} `);
}

function tokens(text) {
  const trimmed = text.trim();
  // Text written without spaces (Japanese) is compared character by character.
  if (!/\s/u.test(trimmed) && [...trimmed].some(isCjk)) return [...trimmed];
  return trimmed.split(/\s+/u).filter(Boolean);
}

const MAX_CELLS = 20000; // a sentence or two; anything longer is shown as a whole swap

// Word-level difference: [{op: "same" | "del" | "ins", text}] from a longest common subsequence.
export function wordDiff(before, after) {
  const a = tokens(before);
  const b = tokens(after);
  const joiner = [...before, ...after].some(isCjk) ? "" : " ";
  if (a.length * b.length > MAX_CELLS) {
    return [{ op: "del", text: before.trim() }, { op: "ins", text: after.trim() }];
  }
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops = [];
  const push = (op, word) => {
    const last = ops[ops.length - 1];
    if (last && last.op === op) last.words.push(word);
    else ops.push({ op, words: [word] });
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      push("same", a[i++]);
      j++;
    } else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      push("ins", b[j++]);
    } else {
      push("del", a[i++]);
    }
  }
  // Show each change as "deleted, then inserted" whatever order the walk found them in.
  for (let k = 0; k + 1 < ops.length; k++) {
    if (ops[k].op === "ins" && ops[k + 1].op === "del") [ops[k], ops[k + 1]] = [ops[k + 1], ops[k]];
  }
  return ops.map(({ op, words }) => ({ op, text: words.join(joiner) }));
}
