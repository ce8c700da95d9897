"""Spanish demo dialogues."""

from __future__ import annotations

from tutor.emulator.scripts import Band, Script, Step

A = Band(
    greeting="¿Cómo estás hoy?",
    steps=(
        Step(
            learner="Yo soy cansado hoy, trabajé mucho.",
            match=r"\b([Yy]o )?soy cansad([oa])",
            replace=r"\1estoy cansad\2",
            explanation="Use estar, not ser, for temporary states like being tired.",
            kind="grammar",
            phrase=("estar cansado", "to be tired"),
            reply="Ah, estás cansado hoy porque trabajaste mucho. ¿Qué haces para descansar?",
        ),
        Step(
            learner="Me gusta leer libros y escuchar a la música.",
            match=r"escuchar a (la )?música",
            replace="escuchar música",
            explanation="Escuchar already means 'listen to', so it needs no 'a' here.",
            kind="grammar",
            reply="¡Qué bien! Te gusta leer y escuchar música. ¿Qué música te gusta?",
        ),
        Step(
            learner="Me gusta la música pop. Es muy bueno para bailar.",
            match=r"\b([Ee]s muy) bueno para bailar",
            replace=r"\1 buena para bailar",
            explanation="Música is feminine, so the adjective is buena.",
            kind="grammar",
            phrase=("bailar", "to dance"),
            reply="Sí, la música pop es muy buena para bailar.",
        ),
    ),
)

B = Band(
    greeting="Cuéntame, ¿qué hiciste el fin de semana pasado?",
    steps=(
        Step(
            learner="El fin de semana pasado fui a la playa y hacía un picnic con mis amigos.",
            match=r"\bhacía un picnic",
            replace="hice un picnic",
            explanation="A completed, one-off action takes the preterite: hice, not hacía.",
            kind="grammar",
            phrase=("hacer un picnic", "to have a picnic"),
            reply="¡Qué bien! Fuiste a la playa e hiciste un picnic. ¿Qué tiempo hacía?",
        ),
        Step(
            learner="Hacía sol, pero el agua era muy fría.",
            match=r"\bel agua era (muy )?fría",
            replace=r"el agua estaba \1fría",
            explanation="Use estar for how the water felt at that moment: estaba fría.",
            kind="grammar",
            reply="Entiendo, el agua estaba muy fría. ¿Prefieres la playa o la montaña?",
        ),
        Step(
            learner="Prefiero la montaña. Estoy muy excitado por mi viaje a los Pirineos.",
            match=r"\bexcitad([oa])",
            replace=r"emocionad\1",
            explanation="'Excitado' has a sexual meaning; for 'excited' say 'emocionado'.",
            kind="vocabulary",
            phrase=("estar emocionado", "to be excited"),
            reply=("¡Qué bien que estés emocionado por tu viaje a los Pirineos!"),
        ),
    ),
)

C = Band(
    greeting="Debatamos: ¿el teletrabajo es bueno para la sociedad?",
    steps=(
        Step(
            learner="Pienso que sí, pero es importante que la gente tiene un buen espacio en casa.",
            match=r"\bes importante que la gente tiene",
            replace="es importante que la gente tenga",
            explanation="After 'es importante que' the verb goes in the subjunctive: tenga.",
            kind="grammar",
            reply=(
                "Tienes razón, es importante que la gente tenga un buen espacio en casa. "
                "¿Y qué pasa con la vida social de la oficina?"
            ),
        ),
        Step(
            learner="Si trabajaría siempre en casa, echaría de menos a mis compañeros.",
            match=r"\b([Ss]i) trabajaría",
            replace=r"\1 trabajara",
            explanation="In 'si' clauses use the imperfect subjunctive (trabajara), not 'would'.",
            kind="grammar",
            phrase=("echar de menos", "to miss (someone)"),
            reply=(
                "Claro: si trabajaras siempre en casa, echarías de menos a tus compañeros. "
                "¿Qué propondrías a las empresas?"
            ),
        ),
        Step(
            learner="Propondría un modelo híbrido, pero realizo que no funciona para todos.",
            match=r"\brealizo que",
            replace="me doy cuenta de que",
            explanation="'Realizar' means to carry out; for 'realise' say 'darse cuenta de'.",
            kind="vocabulary",
            reply=("Exacto, te das cuenta de que no funciona para todos. Buen argumento."),
        ),
    ),
)

SCRIPT = Script(
    lang="es",
    names=("spanish", "español", "castellano"),
    topic_line="Hoy hablamos de: {topic}.",
    recast="Por cierto, se dice: «{corrected}». ",
    followups=(
        "Entiendo. Cuéntame un poco más, por favor.",
        "¡Interesante! ¿Y por qué piensas eso?",
        "Muy bien. ¿Puedes darme un ejemplo?",
    ),
    bands={"A": A, "B": B, "C": C},
)
