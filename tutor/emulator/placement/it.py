"""Italian placement script."""

# ruff: noqa: E501  (one line per sentence reads best in a script)

from __future__ import annotations

from tutor.emulator.placement import PlacementScript, Probe

SCRIPT = PlacementScript(
    lang="it",
    intro="Facciamo due chiacchiere per qualche minuto per trovare il tuo livello.",
    ack="D'accordo.",
    easier="Bene, proviamo qualcos'altro.",
    closing="Grazie mille, ho tutto quello che mi serve. Premi Termina per vedere il risultato.",
    over="Abbiamo finito. Premi Termina per vedere il risultato.",
    probes={
        "A1": Probe(
            question="Come ti chiami e dove abiti?",
            followup="E che cosa ti piace fare?",
            answer="Mi chiamo Ana. Abito a Londra.",
            followup_answer="Mi piace leggere e nuotare.",
        ),
        "A2": Probe(
            question="Che cosa fai di solito il sabato?",
            followup="Con chi, e perché ti piace?",
            answer="Il sabato vado al mercato e poi mangio con la mia famiglia.",
            followup_answer="Con mia sorella, perché parliamo molto e mangiamo bene.",
        ),
        "B1": Probe(
            question="Raccontami un viaggio che ti è piaciuto molto. Che cosa è successo?",
            followup="Perché è stato così speciale per te?",
            answer="L'anno scorso sono andata a Firenze con degli amici e abbiamo visitato gli Uffizi.",
            followup_answer="Perché era la prima volta che viaggiavo da sola e ho conosciuto persone simpatiche.",
        ),
        "B2": Probe(
            question="Pensi che il lavoro da casa sia un bene per la società? Spiega vantaggi e svantaggi.",
            followup="Che cosa faresti per risolvere questi svantaggi?",
            answer="Ehm... è buono, credo. Non so.",
            followup_answer="Non so... è difficile.",
        ),
        "C1": Probe(
            question="Fino a che punto la tecnologia dovrebbe decidere per noi nella vita quotidiana?",
            followup="Puoi sfumare questa idea con un esempio concreto?",
            answer="È... complicato. Non so dire.",
            followup_answer="Un esempio... non so.",
        ),
        "C2": Probe(
            question="Se potessi riscrivere un'usanza del tuo paese, quale sarebbe, e quali sfumature perderemmo?",
            followup="Non pensi che quel cambiamento avrebbe conseguenze impreviste?",
            answer="Scusa, non capisco bene.",
            followup_answer="Non so cosa dire.",
        ),
    },
)
