"""Finds the text of a Django template that no translate/blocktranslate tag covers.

The template is cut into tokens by Django's own Lexer. Text inside translate, blocktranslate and
comment tags is covered; every other tag or variable becomes a placeholder ("…", no letter) so
that what remains is the page's HTML with holes, which html.parser reads for the text a person
sees or hears: element text (outside <script> and <style>) and the attributes users read. A
plain-text template (an e-mail) is all text. Newlines are kept, so line numbers stay true.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from django.template.base import Lexer, TokenType

# Words that stay as they are in every language: the brand, CEFR levels, each language's name in
# itself (the switcher), key names, and the SI unit and percentile names of the operator's page.
ALLOWED = (
    "Tertulia",
    *("A1", "A2", "B1", "B2", "C1", "C2"),
    *("English", "Español", "Français", "Deutsch", "Italiano", "Português", "日本語"),
    *("Alt", "Ctrl", "Shift", "Enter", "Esc", "Space", "Tab", "Cmd"),
    *("ms", "p50", "p95"),
)
_ALLOWED = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(word) for word in ALLOWED) + r")(?!\w)")
# Attributes a person reads or hears; `value` only on buttons (below); meta description.
READ_ATTRIBUTES = frozenset(
    {"aria-label", "title", "placeholder", "alt", "aria-description", "aria-roledescription"}
)
BUTTON_INPUTS = frozenset({"submit", "button", "reset"})
_ATTRIBUTE_BLOCK = re.compile(r'=\s*"[^"<>]*\{%\s*block\s+(\w+)')
PLACEHOLDER = "…"  # not a letter: a hole where a tag or variable was
_COVERING = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
_COVERING |= {"comment": "endcomment"}


@dataclass(frozen=True)
class Unmarked:
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.line}: {self.text!r}"


def shown(text: str) -> str:
    """The text as a failure names it: holes run together, none at either end."""
    return re.sub(rf"(?:{PLACEHOLDER}\s*)+", f"{PLACEHOLDER} ", " ".join(text.split())).strip(
        f"{PLACEHOLDER} "
    )


def has_words(text: str) -> bool:
    """Letters left once the allowed words are taken out (numbers, punctuation and
    entities alone are no text to translate)."""
    return any(char.isalpha() for char in _ALLOWED.sub("", text))


def attribute_blocks(sources: Iterable[str]) -> frozenset[str]:
    """Blocks that a layout puts inside an attribute value (class="{% block main_class %}"):
    what a page fills them with is an attribute (class names), not text."""
    return frozenset(name for source in sources for name in _ATTRIBUTE_BLOCK.findall(source))


def skeleton(source: str, attribute_block_names: frozenset[str] = frozenset()) -> str:
    """The template with covered text and every tag or variable replaced by PLACEHOLDER,
    newlines kept. A tag that makes an element's name (`<{% if href %}a{% else %}button...`)
    becomes a name, so the element still reads as one."""
    parts: list[str] = []
    closing: str | None = None  # inside a covering block, the tag that ends it
    for token in Lexer(source).tokenize():
        keep_lines = "\n" * token.contents.count("\n")
        words = token.contents.split()
        if closing is not None:
            if token.token_type == TokenType.BLOCK and words and words[0] == closing:
                closing = None
            parts.append(keep_lines)
            continue
        if token.token_type != TokenType.TEXT and parts and parts[-1].endswith(("<", "</")):
            parts.append("tag" + keep_lines)
            continue
        if words[:1] == ["block"] and words[1:2] and words[1] in attribute_block_names:
            closing = "endblock"
            parts.append(PLACEHOLDER + keep_lines)
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if name in _COVERING:
                closing = _COVERING[name]
                parts.append(PLACEHOLDER + keep_lines)
                continue
            # A translate tag or a variable stands for text; other tags (if, for, url) give
            # an attribute value or nothing: a placeholder either way, never letters.
            parts.append(PLACEHOLDER + keep_lines)
            continue
        parts.append(PLACEHOLDER + keep_lines)  # a variable; a {# #} comment
    return "".join(parts)


VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Unmarked] = []
        self._hidden = 0  # inside <script> or <style>
        # Inside an element with a fixed lang="..": an example in the language being learned
        # (the landing page's sample exchange), content rather than interface. [tag, depth]
        self._foreign: list[list[object]] = []

    def _note(self, text: str) -> None:
        if has_words(text) and not self._foreign:
            self.found.append(Unmarked(self.getpos()[0], shown(text)))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        values = {name: value or "" for name, value in attrs}
        if self._foreign and self._foreign[-1][0] == tag:
            self._foreign[-1][1] = int(str(self._foreign[-1][1])) + 1
        elif values.get("lang", "").isalpha() and tag not in VOID_TAGS:
            self._foreign.append([tag, 1])
        for name, value in values.items():
            if name in READ_ATTRIBUTES:
                self._note(value)
        if tag == "meta" and values.get("name") == "description":
            self._note(values.get("content", ""))
        if tag == "input" and values.get("type", "").lower() in BUTTON_INPUTS:
            self._note(values.get("value", ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if self._foreign and self._foreign[-1][0] == tag:
            self._foreign[-1][1] = int(str(self._foreign[-1][1])) - 1
            if self._foreign[-1][1] == 0:
                self._foreign.pop()
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._note(data)


def unmarked_in_html(source: str, attribute_block_names: frozenset[str]) -> list[Unmarked]:
    reader = _Reader()
    reader.feed(skeleton(source, attribute_block_names))
    reader.close()
    return reader.found


def unmarked_in_text(source: str) -> list[Unmarked]:
    """A plain-text template (an e-mail): every line with words in it."""
    return [
        Unmarked(number, shown(line))
        for number, line in enumerate(skeleton(source).splitlines(), start=1)
        if has_words(line)
    ]


def unmarked(
    name: str, source: str, attribute_block_names: frozenset[str] = frozenset()
) -> list[Unmarked]:
    if name.endswith(".txt"):
        return unmarked_in_text(source)
    return unmarked_in_html(source, attribute_block_names)
