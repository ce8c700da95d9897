"""Spanish placement script."""

# ruff: noqa: E501  (one line per sentence reads best in a script)

from __future__ import annotations

from tutor.emulator.placement import PlacementScript, Probe

SCRIPT = PlacementScript(
    lang="es",
    intro="Vamos a charlar unos minutos para encontrar tu nivel.",
    ack="De acuerdo.",
    easier="Vale, probemos algo distinto.",
    closing="Muchas gracias, ya tengo lo que necesito. Pulsa Terminar para ver tu resultado.",
    over="Ya hemos terminado. Pulsa Terminar para ver tu resultado.",
    probes={
        "A1": Probe(
            question="¿Cómo te llamas y dónde vives?",
            followup="¿Y qué te gusta hacer?",
            answer="Me llamo Ana. Vivo en Londres.",
            followup_answer="Me gusta leer y nadar.",
        ),
        "A2": Probe(
            question="¿Qué haces normalmente un sábado?",
            followup="¿Con quién lo haces, y por qué te gusta?",
            answer="Los sábados voy al mercado y después como con mi familia.",
            followup_answer="Con mi hermana, porque hablamos mucho y comemos bien.",
        ),
        "B1": Probe(
            question="Cuéntame un viaje que te gustó mucho. ¿Qué pasó?",
            followup="¿Por qué fue tan especial para ti?",
            answer="El año pasado fui a Granada con unos amigos y visitamos la Alhambra por la noche.",
            followup_answer="Porque era la primera vez que viajaba sola y conocí a gente muy simpática.",
        ),
        "B2": Probe(
            question="¿Crees que el teletrabajo es bueno para la sociedad? Explica ventajas y desventajas.",
            followup="¿Qué harías tú para resolver esas desventajas?",
            answer="Eh... es bueno, creo. No sé.",
            followup_answer="No sé... es difícil.",
        ),
        "C1": Probe(
            question="¿Hasta qué punto debería la tecnología decidir por nosotros en la vida diaria?",
            followup="¿Puedes matizar eso con un ejemplo concreto?",
            answer="Es... complicado. No sé decir.",
            followup_answer="Un ejemplo... no sé.",
        ),
        "C2": Probe(
            question="Si pudieras reescribir una costumbre de tu país, ¿cuál sería y qué matices perderíamos?",
            followup="¿No crees que ese cambio tendría consecuencias imprevistas?",
            answer="Perdón, no entiendo bien.",
            followup_answer="No sé qué decir.",
        ),
    },
)
