"""Pure text algorithms: word diffs (worddiff), tolerant phrase matching (phrase_match) and
guessing a learner's language (language_guess). Plain Python on strings.

Import rule: text imports no Django ORM (no models, no querysets) and nothing else from
`lessons`, only other `lessons.text` modules. Selectors and services may import text.
"""
