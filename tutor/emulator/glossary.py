"""The offline demo's little dictionary for word lookups: words its own scripts and role-plays
say (scripts/, roleplay/), with their dictionary form, part of speech, an English meaning and
an example. Anything else gets the generic answer in lookup.py, which has the same shape.

ASSUMPTION: meanings are in English whatever the learner's native language; the real model
writes them in the language the request names.
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    lemma: str
    pos: str
    meaning: str
    example: str


GLOSSARY: dict[str, dict[str, Entry]] = {
    "es": {
        "hola": Entry("hola", "interjection", "hello, hi", "¡Hola! ¿Qué tal?"),
        "cómo": Entry("cómo", "adverb", "how", "¿Cómo te llamas?"),
        "estás": Entry(
            "estar", "verb", "you are (how or where you are right now)", "Estoy en casa."
        ),
        "estoy": Entry(
            "estar", "verb", "I am (how or where I am right now)", "Estoy muy bien, gracias."
        ),
        "hoy": Entry("hoy", "adverb", "today", "Hoy hace sol."),
        "cansado": Entry("cansado", "adjective", "tired", "Estoy cansado después del trabajo."),
        "cansada": Entry("cansado", "adjective", "tired", "Ana está cansada hoy."),
        "trabajé": Entry("trabajar", "verb", "I worked", "Ayer trabajé ocho horas."),
        "trabajaste": Entry("trabajar", "verb", "you worked", "¿Trabajaste el sábado?"),
        "mucho": Entry("mucho", "adverb", "a lot, much", "Me gusta mucho el café."),
        "descansar": Entry("descansar", "verb", "to rest", "Quiero descansar un poco."),
        "música": Entry("música", "noun", "music", "Escucho música en el tren."),
        "bailar": Entry("bailar", "verb", "to dance", "Me gusta bailar los sábados."),
        "gusta": Entry(
            "gustar", "verb", "is pleasing (me gusta: I like)", "Me gusta el chocolate."
        ),
        "entiendo": Entry("entender", "verb", "I understand", "No entiendo la pregunta."),
        "dices": Entry("decir", "verb", "you say", "¿Qué dices?"),
        "demostración": Entry(
            "demostración", "noun", "demonstration, demo", "Es solo una demostración."
        ),
        "aunque": Entry("aunque", "conjunction", "although, even though", "Salgo, aunque llueve."),
        "semana": Entry("semana", "noun", "week", "La semana tiene siete días."),
        "cuenta": Entry("cuenta", "noun", "the bill, the check", "La cuenta, por favor."),
    },
    "fr": {
        "comment": Entry("comment", "adverb", "how", "Comment tu t'appelles ?"),
        "aujourd'hui": Entry("aujourd'hui", "adverb", "today", "Aujourd'hui, il fait beau."),
        "bonjour": Entry("bonjour", "interjection", "hello, good morning", "Bonjour, madame !"),
        "fatigué": Entry("fatigué", "adjective", "tired", "Je suis fatigué ce soir."),
        "travaillé": Entry("travailler", "verb", "worked", "J'ai travaillé toute la journée."),
        "week-end": Entry("week-end", "noun", "weekend", "Ce week-end, je vais à la mer."),
        "comprends": Entry(
            "comprendre", "verb", "I understand / you understand", "Je ne comprends pas."
        ),
    },
    "de": {
        "wie": Entry("wie", "adverb", "how", "Wie heißt du?"),
        "geht": Entry("gehen", "verb", "goes (wie geht es: how are you)", "Es geht mir gut."),
        "heute": Entry("heute", "adverb", "today", "Heute ist Montag."),
        "müde": Entry("müde", "adjective", "tired", "Ich bin heute sehr müde."),
        "wochenende": Entry("Wochenende", "noun", "weekend", "Am Wochenende schlafe ich lange."),
        "verstehe": Entry("verstehen", "verb", "I understand", "Ich verstehe das nicht."),
    },
    "it": {
        "come": Entry("come", "adverb", "how", "Come ti chiami?"),
        "stai": Entry("stare", "verb", "you are (how you are)", "Sto bene, grazie."),
        "oggi": Entry("oggi", "adverb", "today", "Oggi piove."),
        "stanco": Entry("stanco", "adjective", "tired", "Sono stanco dopo la partita."),
        "capisco": Entry("capire", "verb", "I understand", "Non capisco la domanda."),
    },
    "pt": {
        "como": Entry("como", "adverb", "how", "Como você se chama?"),
        "está": Entry("estar", "verb", "you are, is (a state right now)", "Você está bem?"),
        "hoje": Entry("hoje", "adverb", "today", "Hoje está calor."),
        "cansado": Entry("cansado", "adjective", "tired", "Estou cansado depois do trabalho."),
        "entendo": Entry("entender", "verb", "I understand", "Não entendo a pergunta."),
    },
    "en": {
        "how": Entry("how", "adverb", "in what way, in what state", "How do you get to work?"),
        "today": Entry("today", "adverb", "on this day", "Today is sunny."),
        "tired": Entry("tired", "adjective", "needing rest", "I'm tired after work."),
        "weekend": Entry(
            "weekend", "noun", "Saturday and Sunday", "What did you do at the weekend?"
        ),
        "understand": Entry(
            "understand", "verb", "to get the meaning of", "I don't understand the question."
        ),
    },
    "ja": {
        "今日": Entry("今日", "noun", "today (きょう)", "今日は暑いです。"),
        "元気": Entry("元気", "adjective", "well, healthy, lively (げんき)", "私は元気です。"),
        "です": Entry("です", "other", "is, am, are (polite copula)", "これはペンです。"),
        "か": Entry("か", "particle", "question particle", "学生ですか。"),
        "は": Entry("は", "particle", "topic particle (read わ)", "私は学生です。"),
        "先週末": Entry(
            "先週末", "noun", "last weekend (せんしゅうまつ)", "先週末は山に行きました。"
        ),
        "何": Entry("何", "pronoun", "what (なに / なん)", "何を食べますか。"),
        "講師": Entry("講師", "noun", "teacher, instructor (こうし)", "講師は日本人です。"),
        "デモ": Entry("デモ", "noun", "demo", "これはデモです。"),
        "疲れ": Entry("疲れる", "verb", "to get tired (つかれる)", "今日はとても疲れました。"),
    },
}


def entry_for(language: str, word: str) -> Entry | None:
    words = GLOSSARY.get(language, {})
    return words.get(word) or words.get(word.casefold())
