"""German placement script."""

# ruff: noqa: E501  (one line per sentence reads best in a script)

from __future__ import annotations

from tutor.emulator.placement import PlacementScript, Probe

SCRIPT = PlacementScript(
    lang="de",
    intro="Wir unterhalten uns ein paar Minuten, um dein Niveau zu finden.",
    ack="In Ordnung.",
    easier="Gut, versuchen wir etwas anderes.",
    closing="Vielen Dank, ich habe alles, was ich brauche. Drück auf Beenden, um dein Ergebnis zu sehen.",
    over="Wir sind fertig. Drück auf Beenden, um dein Ergebnis zu sehen.",
    probes={
        "A1": Probe(
            question="Wie heißt du und wo wohnst du?",
            followup="Und was machst du gern?",
            answer="Ich heiße Ana. Ich wohne in London.",
            followup_answer="Ich lese gern und schwimme gern.",
        ),
        "A2": Probe(
            question="Was machst du normalerweise am Samstag?",
            followup="Mit wem, und warum gefällt dir das?",
            answer="Am Samstag gehe ich auf den Markt und dann esse ich mit meiner Familie.",
            followup_answer="Mit meiner Schwester, weil wir viel reden und gut essen.",
        ),
        "B1": Probe(
            question="Erzähl mir von einer Reise, die dir sehr gefallen hat. Was ist passiert?",
            followup="Warum war sie so besonders für dich?",
            answer="Letztes Jahr bin ich mit Freunden nach Wien gefahren und wir haben die Altstadt besucht.",
            followup_answer="Weil ich zum ersten Mal allein gereist bin und sehr nette Leute kennengelernt habe.",
        ),
        "B2": Probe(
            question="Ist Homeoffice gut für die Gesellschaft? Erklär die Vor- und Nachteile.",
            followup="Was würdest du gegen diese Nachteile tun?",
            answer="Äh... es ist gut, glaube ich. Weiß nicht.",
            followup_answer="Weiß nicht... schwierig.",
        ),
        "C1": Probe(
            question="Inwieweit sollte Technik im Alltag für uns entscheiden?",
            followup="Kannst du das an einem konkreten Beispiel differenzieren?",
            answer="Das ist... kompliziert. Weiß nicht.",
            followup_answer="Ein Beispiel... weiß nicht.",
        ),
        "C2": Probe(
            question="Wenn du eine Tradition deines Landes neu schreiben könntest, welche wäre es, und welche Nuancen gingen verloren?",
            followup="Hätte diese Änderung nicht unvorhergesehene Folgen?",
            answer="Entschuldigung, ich verstehe nicht gut.",
            followup_answer="Ich weiß nicht, was ich sagen soll.",
        ),
    },
)
