"""German demo dialogues."""

from __future__ import annotations

from tutor.emulator.scripts import Band, Script, Step

A = Band(
    greeting="Wie geht es dir heute?",
    steps=(
        Step(
            learner="Mir geht es gut. Ich bin zwanzig Jahre alt und ich komme von Spanien.",
            match=r"\bkomme von (\w+)",
            replace=r"komme aus \1",
            explanation="For your country of origin use 'aus': ich komme aus Spanien.",
            kind="grammar",
            phrase=("aus Spanien kommen", "to come from Spain"),
            reply="Schön! Du kommst aus Spanien. Was machst du gern in deiner Freizeit?",
        ),
        Step(
            learner="In meiner Freizeit ich spiele Fußball mit meinen Freunden.",
            match=r"\bIn meiner Freizeit ich (\w+)",
            replace=r"In meiner Freizeit \1 ich",
            explanation="The verb comes second in the sentence: In meiner Freizeit spiele ich.",
            kind="grammar",
            reply="In deiner Freizeit spielst du Fußball, toll! Was isst du gern nach dem Spiel?",
        ),
        Step(
            learner="Nach dem Spiel esse ich gern ein Pizza.",
            match=r"\bein Pizza\b",
            replace="eine Pizza",
            explanation="Pizza is feminine: eine Pizza.",
            kind="grammar",
            phrase=("eine Pizza essen", "to eat a pizza"),
            reply="Eine Pizza nach dem Fußball, klingt gut!",
        ),
    ),
)

B = Band(
    greeting="Erzähl mal, was hast du letztes Wochenende gemacht?",
    steps=(
        Step(
            learner="Letztes Wochenende habe ich nach Berlin gefahren.",
            match=r"\bhabe ich nach (\w+) gefahren",
            replace=r"bin ich nach \1 gefahren",
            explanation="Verbs of motion like fahren take sein in the perfect: ich bin gefahren.",
            kind="grammar",
            reply="Du bist nach Berlin gefahren, wie schön! Was hast du dort gesehen?",
        ),
        Step(
            learner="Ich habe das Museum besucht. Es war sehr interessiert.",
            match=r"\b([Ee]s war) (sehr )?interessiert\b",
            replace=r"\1 \2interessant",
            explanation="'Interessiert' describes an interested person; a thing is 'interessant'.",
            kind="vocabulary",
            phrase=("ein Museum besuchen", "to visit a museum"),
            reply="Das Museum war sehr interessant, super. Wie bist du nach Hause gekommen?",
        ),
        Step(
            learner="Ich bin mit der Zug zurückgefahren, aber er hatte Verspätung.",
            match=r"\bmit der Zug\b",
            replace="mit dem Zug",
            explanation="Mit takes the dative, and Zug is masculine: mit dem Zug.",
            kind="grammar",
            reply=("Mit dem Zug, aber mit Verspätung, schade."),
        ),
    ),
)

C = Band(
    greeting="Lass uns diskutieren: Ist Homeoffice gut für die Gesellschaft?",
    steps=(
        Step(
            learner="Ich denke schon, obwohl viele Menschen fühlen sich isoliert.",
            match=r"\bobwohl viele Menschen fühlen sich isoliert",
            replace="obwohl sich viele Menschen isoliert fühlen",
            explanation="In an obwohl clause the conjugated verb goes to the end.",
            kind="grammar",
            reply=(
                "Verstehe: positiv, obwohl sich viele Menschen isoliert fühlen. "
                "Was gewinnen die Firmen dabei?"
            ),
        ),
        Step(
            learner="Wenn die Mitarbeiter glücklicher würden sein, würden sie besser arbeiten.",
            match=r"\b(\w+) würden sein\b",
            replace=r"\1 wären",
            explanation="Use the Konjunktiv II 'wären' rather than 'würden sein'.",
            kind="grammar",
            reply=(
                "Genau: Wenn die Mitarbeiter glücklicher wären, würden sie besser arbeiten. "
                "Wie können Chefs den Kontakt zum Team halten?"
            ),
        ),
        Step(
            learner="Mit regelmäßigen Meetings, und eventuell wird das Team zufriedener.",
            match=r"\beventuell\b",
            replace="schließlich",
            explanation="'Eventuell' means 'possibly'; for 'eventually' say 'schließlich'.",
            kind="vocabulary",
            phrase=("den Kontakt halten", "to stay in touch"),
            reply=("Gute Idee: regelmäßige Meetings, und schließlich wird das Team zufriedener."),
        ),
    ),
)

SCRIPT = Script(
    lang="de",
    names=("german", "deutsch"),
    topic_line="Heute sprechen wir über: {topic}.",
    recast="Kleiner Tipp: Man sagt „{corrected}“. ",
    followups=(
        "Verstehe. Erzähl mir bitte ein bisschen mehr.",
        "Interessant! Warum denkst du das?",
        "Sehr gut. Kannst du mir ein Beispiel geben?",
    ),
    bands={"A": A, "B": B, "C": C},
)
