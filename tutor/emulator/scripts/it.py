"""Italian demo dialogues."""

from __future__ import annotations

from tutor.emulator.scripts import Band, Script, Step

A = Band(
    greeting="Come stai oggi?",
    steps=(
        Step(
            learner="Sto bene, grazie, e sono venti anni. Studio a Roma.",
            match=r"\bsono (\w+) anni",
            replace=r"ho \1 anni",
            explanation="In Italian you 'have' your age: ho vent'anni.",
            kind="grammar",
            phrase=("avere vent'anni", "to be twenty years old"),
            reply="Hai vent'anni e studi a Roma, che bello! Che cosa fai nel tempo libero?",
        ),
        Step(
            learner="Nel tempo libero mi piacciono leggere e cucinare.",
            match=r"\bmi piacciono (\w+(?:are|ere|ire))\b",
            replace=r"mi piace \1",
            explanation="With verbs in the infinitive use 'mi piace', even for two of them.",
            kind="grammar",
            reply="Ti piace leggere e cucinare, perfetto! Qual è il tuo piatto preferito?",
        ),
        Step(
            learner="Il mio piatto preferito è la carbonara, è molto buono.",
            match=r"\b(la \w+, è molto) buono",
            replace=r"\1 buona",
            explanation="Carbonara is feminine, so the adjective is buona.",
            kind="grammar",
            phrase=("piatto preferito", "favourite dish"),
            reply="La carbonara è buonissima!",
        ),
    ),
)

B = Band(
    greeting="Raccontami, che cosa hai fatto lo scorso fine settimana?",
    steps=(
        Step(
            learner="Lo scorso fine settimana ho andato al mare con la mia famiglia.",
            match=r"\bho andat([oaie])",
            replace=r"sono andat\1",
            explanation="Andare takes essere in the passato prossimo: sono andato.",
            kind="grammar",
            reply="Sei andato al mare con la tua famiglia, che bello! Com'era il tempo?",
        ),
        Step(
            learner="Faceva caldo e ho avuto un buon tempo con mio fratello.",
            match=r"\bho avuto un buon tempo",
            replace="mi sono divertito molto",
            explanation="'Avere un buon tempo' is a calque from English; say 'divertirsi'.",
            kind="vocabulary",
            phrase=("divertirsi", "to have a good time"),
            reply="Ti sei divertito molto, ottimo! Preferisci il mare o la montagna?",
        ),
        Step(
            learner="Preferisco la montagna. Sono eccitato per il mio viaggio sulle Dolomiti.",
            match=r"\beccitat([oaie])",
            replace=r"emozionat\1",
            explanation="'Eccitato' has a sexual meaning; for 'excited' say 'emozionato'.",
            kind="vocabulary",
            reply=("Sei emozionato per il viaggio sulle Dolomiti, fantastico!"),
        ),
    ),
)

C = Band(
    greeting="Discutiamo: il lavoro da casa fa bene alla società?",
    steps=(
        Step(
            learner="Penso che è positivo, ma molte persone si sentono sole.",
            match=r"\b([Pp]enso) che è\b",
            replace=r"\1 che sia",
            explanation="After 'penso che' use the subjunctive: penso che sia.",
            kind="grammar",
            reply=(
                "Capisco: pensi che sia positivo, anche se molte persone si sentono sole. "
                "E le aziende, che cosa ci guadagnano?"
            ),
        ),
        Step(
            learner="Se i dipendenti sarebbero più felici, lavorerebbero meglio.",
            match=r"\b([Ss]e i dipendenti) sarebbero",
            replace=r"\1 fossero",
            explanation="After 'se' use the imperfect subjunctive (fossero), not the conditional.",
            kind="grammar",
            reply=(
                "Esatto: se i dipendenti fossero più felici, lavorerebbero meglio. "
                "Come possono i capi restare in contatto con la squadra?"
            ),
        ),
        Step(
            learner="Con riunioni regolari, perché molti capi non realizzano che la fiducia conta.",
            match=r"\bnon realizzano che",
            replace="non si rendono conto che",
            explanation="'Realizzare' means to achieve; for 'realise' say 'rendersi conto'.",
            kind="vocabulary",
            phrase=("rendersi conto", "to realise"),
            reply=("Giusto: molti capi non si rendono conto che la fiducia conta."),
        ),
    ),
)

SCRIPT = Script(
    lang="it",
    names=("italian", "italiano"),
    topic_line="Oggi parliamo di: {topic}.",
    recast="Piccola nota: si dice «{corrected}». ",
    followups=(
        "Capisco. Raccontami un po' di più, per favore.",
        "Interessante! Perché la pensi così?",
        "Molto bene. Mi fai un esempio?",
    ),
    bands={"A": A, "B": B, "C": C},
)
