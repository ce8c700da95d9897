"""Spanish lines for the demo tutor's role-plays (and the close of free talk)."""

# ruff: noqa: E501  (a table of lines and rules reads best one entry per line)

from __future__ import annotations

from tutor.emulator.roleplay.lines import Cues, Lines, Plant, Register

SIMPLE = Register(
    hello="¡Hola, {name}!",
    start="Empezamos. ¡Tú primero!",
    acks=("¡Muy bien!", "¡Perfecto!", "Vale, entendido."),
    chat_acks=("Ah, ya veo.", "Vale, entiendo.", "Ajá, de acuerdo."),
    chat_more=("¿Y luego?", "Cuéntame más."),
    greeting="¡Hola, buenas!",
    thanks="¡De nada!",
    price="Son cuatro con cincuenta.",
    count="Dos o tres, más o menos.",
    time="Un par de semanas.",
    way="Todo recto y luego a la derecha.",
    you="¿Yo? Yo soy de aquí.",
    yes="Sí, claro.",
    open=("¡Buena pregunta!", "Mmm, buena pregunta."),
    ask_question=("¿Alguna pregunta?", "¿Qué más quieres saber?"),
    ask_more=("¿Algo más?", "¿Y qué más?"),
    recast="Ah: «{corrected}»",
    explain="Se dice «{right}», no «{wrong}».",
    wrap_up="¡Muy bien! Terminamos aquí. ¿Quieres probar otro tema?",
    finished="La demostración ya terminó. Elige otro tema, por favor.",
)

FULLER = Register(
    hello="¡Hola, {name}!",
    start="Empecemos la escena. Empieza tú, por favor.",
    acks=("Perfecto, entendido.", "Muy bien, sin ningún problema.", "De acuerdo, ahora mismo."),
    chat_acks=(
        "Ya veo, entiendo perfectamente.",
        "Ah, de acuerdo; gracias por contármelo.",
        "Entiendo, tiene sentido.",
    ),
    chat_more=("¿Y qué pasó después?", "Cuéntame un poco más."),
    greeting="¡Hola, buenas!",
    thanks="No hay de qué, es un placer.",
    price="Pues en total son cuatro con cincuenta.",
    count="Pues dos o tres, más o menos.",
    time="Pues un par de semanas, más o menos.",
    way="Siga todo recto y, en el segundo cruce, gire a la derecha.",
    you="¿Yo? Soy de aquí, de toda la vida.",
    yes="Sí, claro, sin ningún problema.",
    open=("Buena pregunta; déjame pensarlo un momento.", "Mmm, es una buena pregunta."),
    ask_question=("¿Hay algo más que quieras preguntarme?", "¿Qué más te gustaría saber?"),
    ask_more=("¿Necesitas algo más?", "¿Y qué más te puedo ofrecer?"),
    recast="Ah: «{corrected}»",
    explain="Ojo: se dice «{right}», no «{wrong}».",
    wrap_up=(
        "Muy bien, has usado todas las expresiones de la escena. Aquí termina la "
        "demostración: ¿por qué no pruebas otro tema?"
    ),
    finished="La demostración ya ha terminado. Puedes terminar la conversación y elegir otro tema.",
)

CUES = Cues(
    price=r"cu[aá]nto (es|son|cuesta|cuestan|vale|valen|le debo|te debo)|precio|cobra|la cuenta",
    count=r"cu[aá]nt[oa]s\b",
    way=r"c[oó]mo (llego|voy|se va|se llega)|d[oó]nde (est[aá]|queda|hay)",
    time=r"cu[aá]ndo|cu[aá]nto tiempo|a qu[eé] hora",
    you=r"\by (t[uú]|usted)\b|de d[oó]nde (eres|es)\b",
    greeting=r"^(hola|buen[oa]s (d[ií]as|tardes|noches)|buen d[ií]a|mucho gusto|encantad[oa])\b",
    thanks=r"gracias|nada m[aá]s|eso es todo|adi[oó]s|hasta luego",
    please=r"por favor",
    wh=r"^(y |pero )?(qu[eé]|cu[aá]l|cu[aá]ndo|d[oó]nde|ad[oó]nde|c[oó]mo|qui[eé]n|cu[aá]nt|por qu[eé]|de d[oó]nde)",
)

PLANTS = (
    Plant(r"\bquería\b", "quiere", "For yourself, use the first person: quería, not quiere.", "grammar"),
    Plant(r"\bestoy\b", "soy", "Use estar, not ser, for states and for where you are: estoy.", "grammar"),
    Plant(r"\bsoy\b", "estoy", "Use ser, not estar, for who you are and where you are from: soy.", "grammar"),
    Plant(r"\bpuedo\b", "puede", "For yourself, use the first person: puedo, not puede.", "grammar"),
    Plant(r"\btengo\b", "tiene", "For yourself, use the first person: tengo, not tiene.", "grammar"),
    Plant(r"\bmuy\b", "mucho", "Before an adjective or an adverb, say muy, not mucho.", "grammar"),
    Plant(r"\buna\b", "un", "The noun is feminine, so the article is una, not un.", "grammar"),
    Plant(r"\bla\b", "el", "The noun is feminine, so the article is la, not el.", "grammar"),
    Plant(r"\bun\b", "una", "The noun is masculine, so the article is un, not una.", "grammar"),
    Plant(r"\bel\b", "la", "The noun is masculine, so the article is el, not la.", "grammar"),
    Plant(r"\bal\b", "a el", "A and el contract to al.", "grammar"),
    Plant(r"\bdel\b", "de el", "De and el contract to del.", "grammar"),
    Plant(r"\bson\b", "es", "The subject is plural, so the verb is son, not es.", "grammar"),
)  # fmt: skip

LINES = Lines(
    lang="es",
    notice="Tutor de demostración: no entiendo lo que dices.",
    simple=SIMPLE,
    fuller=FULLER,
    cues=CUES,
    plants=PLANTS,
    afterwards=("Gracias.", "Vale, gracias."),
)
