"""Tolerant phrase matching on real multilingual text (lessons/text/phrase_match.py)."""

from __future__ import annotations

import pytest

from lessons.text.phrase_match import normalise, phrase_used, token_matches


class TestNormalise:
    def test_it_drops_accents_case_and_punctuation(self) -> None:
        assert normalise("¿Cuánto CUESTA, señor?") == "cuanto cuesta senor"

    def test_it_splits_elisions_and_collapses_space(self) -> None:
        assert normalise("L'addition,   s’il vous plaît !") == "l addition s il vous plait"

    def test_it_casefolds_german_sharp_s(self) -> None:
        assert normalise("STRASSE") == normalise("Straße") == "strasse"

    def test_it_turns_half_width_katakana_into_full_width(self) -> None:
        assert normalise("ｺｰﾋｰ") == "コーヒー"

    def test_it_keeps_kana_voicing_marks(self) -> None:
        assert normalise("が") != normalise("か")
        assert normalise("ﾃﾞｽ") == "デス"


# (target phrase, what the learner said) that must count as used.
USED = {
    "es-accents-and-case": ("la cuenta, por favor", "LA CUENTA POR FAVOR."),
    "es-missing-accent": ("¿Cuánto cuesta?", "y cuanto cuesta el bocadillo"),
    "es-verb-ending": ("quisiera reservar una mesa", "Hola, quisiéramos reservar una mesa."),
    "es-plural": ("la cuenta", "¿me trae las cuentas?"),
    "es-dropped-article": ("quisiera reservar una mesa", "quisiera reservar mesa para dos"),
    "fr-elision": ("l'addition, s'il vous plaît", "L’addition s'il vous plait !"),
    "fr-accents": ("je voudrais réserver", "Bonjour, je voudrais reserver une chambre"),
    "de-sharp-s": ("die Straße entlang", "Gehen Sie die Strasse entlang"),
    "de-inflection": ("Ich möchte einen Tisch reservieren", "ich möchten einem Tisch reserviert"),
    "pt-accent": ("eu gostaria de", "Eu gostaría de um café"),
    "pt-gender": ("muito obrigado", "Muito obrigada!"),
    "ja-in-sentence": ("お願いします", "コーヒーをお願いします。"),
    "ja-particle-inserted": ("予約したい", "予約をしたいです"),
    "ja-half-width": ("コーヒー", "ｺｰﾋｰください"),
    "en-case-and-punctuation": ("could I have the bill", "Could I have the bill, please?"),
}

# (target phrase, what the learner said) that must not count.
UNUSED = {
    "es-other-words": ("la cuenta, por favor", "no quiero nada más"),
    "es-partial": ("quisiera reservar una mesa", "quisiera reservar"),
    "es-one-word-of-two": ("por favor", "favor"),
    "es-different-verb": ("me gustaría", "me gusta"),
    "fr-other": ("je voudrais réserver", "je ne sais pas"),
    "de-other": ("Ich möchte bezahlen", "Ich habe Hunger"),
    "pt-other": ("eu gostaria de", "eu não sei"),
    "ja-voicing-differs": ("です", "てす"),
    "ja-other": ("お願いします", "ありがとうございます"),
    "en-other": ("could I have the bill", "I would like the soup"),
    "empty-phrase": ("", "anything at all"),
}


@pytest.mark.parametrize(("phrase", "said"), USED.values(), ids=USED.keys())
def test_a_phrase_counts_as_used_despite_noise(phrase: str, said: str) -> None:
    assert phrase_used(phrase, said)


@pytest.mark.parametrize(("phrase", "said"), UNUSED.values(), ids=UNUSED.keys())
def test_a_phrase_does_not_count_when_not_said(phrase: str, said: str) -> None:
    assert not phrase_used(phrase, said)


@pytest.mark.parametrize(
    ("phrase_token", "said", "expected"),
    [
        ("reservar", "reserve", True),  # shared prefix of 6, 2 letters of the phrase left over
        ("mochte", "mochten", True),
        ("gustaria", "gusta", False),  # 3 letters of the phrase unmatched
        ("para", "parar", False),  # short words must match exactly
        ("casa", "casa", True),
    ],
)
def test_the_per_token_rule(phrase_token: str, said: str, expected: bool) -> None:
    assert token_matches(phrase_token, said) is expected
