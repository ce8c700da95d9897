"""Portuguese demo dialogues."""

from __future__ import annotations

from tutor.emulator.scripts import Band, Script, Step

A = Band(
    greeting="Como você está hoje?",
    steps=(
        Step(
            learner="Eu sou cansado hoje, trabalhei muito.",
            match=r"\b([Ee]u )?sou cansad([oa])",
            replace=r"\1estou cansad\2",
            explanation="Use estar, not ser, for temporary states like being tired.",
            kind="grammar",
            phrase=("estar cansado", "to be tired"),
            reply="Ah, você está cansado porque trabalhou muito. O que você faz para descansar?",
        ),
        Step(
            learner="Para descansar, eu gosto ler livros e ouvir música.",
            match=r"\bgosto (ler|ouvir|ver|\w+ar|\w+er|\w+ir)\b",
            replace=r"gosto de \1",
            explanation="Gostar always takes 'de': gosto de ler.",
            kind="grammar",
            reply="Você gosta de ler e ouvir música, que legal! Que tipo de música você ouve?",
        ),
        Step(
            learner="Eu ouço música pop. A música pop é muito bonito.",
            match=r"\b(música[\w ]* é muito) bonito",
            replace=r"\1 bonita",
            explanation="Música is feminine, so the adjective is bonita.",
            kind="grammar",
            phrase=("ouvir música", "to listen to music"),
            reply="Sim, a música pop é muito bonita.",
        ),
    ),
)

B = Band(
    greeting="Conte-me, o que você fez no fim de semana passado?",
    steps=(
        Step(
            learner="No fim de semana passado, fui à praia e fazi um piquenique.",
            match=r"\bfazi\b",
            replace="fiz",
            explanation="Fazer is irregular in the past: eu fiz.",
            kind="grammar",
            phrase=("fazer um piquenique", "to have a picnic"),
            reply="Você foi à praia e fez um piquenique, que bom! Como estava o tempo?",
        ),
        Step(
            learner="Fazia sol, mas a água era muito fria.",
            match=r"\ba água era (muito )?fria",
            replace=r"a água estava \1fria",
            explanation="Use estar for how the water felt at that moment: estava fria.",
            kind="grammar",
            reply="Entendo, a água estava muito fria. Você prefere a praia ou a montanha?",
        ),
        Step(
            learner="Prefiro a montanha. Estou excitado com a minha viagem à Serra da Estrela.",
            match=r"\bexcitad([oa])",
            replace=r"animad\1",
            explanation="'Excitado' has a sexual meaning; for 'excited' say 'animado'.",
            kind="vocabulary",
            reply=("Que bom que você está animado com a viagem!"),
        ),
    ),
)

C = Band(
    greeting="Vamos debater: o teletrabalho é bom para a sociedade?",
    steps=(
        Step(
            learner="Acho que sim, embora muitas pessoas se sentem isoladas.",
            match=r"\bembora muitas pessoas se sentem",
            replace="embora muitas pessoas se sintam",
            explanation="Embora takes the subjunctive: se sintam.",
            kind="grammar",
            reply=(
                "Entendo: é positivo, embora muitas pessoas se sintam isoladas. "
                "E as empresas, o que ganham com isso?"
            ),
        ),
        Step(
            learner="Se os funcionários seriam mais felizes, trabalhariam melhor.",
            match=r"\b([Ss]e os funcionários) seriam",
            replace=r"\1 fossem",
            explanation="After 'se' use the imperfect subjunctive (fossem), not the conditional.",
            kind="grammar",
            reply=(
                "Exato: se os funcionários fossem mais felizes, trabalhariam melhor. "
                "Como os chefes podem manter o contato com a equipe?"
            ),
        ),
        Step(
            learner="Com reuniões, porque muitos chefes não realizam que a confiança conta.",
            match=r"\bnão realizam que",
            replace="não percebem que",
            explanation="'Realizar' means to carry out; for 'realise' say 'perceber'.",
            kind="vocabulary",
            phrase=("manter o contato", "to stay in touch"),
            reply=(
                "Isso mesmo: reuniões, porque muitos chefes não percebem que a confiança conta."
            ),
        ),
    ),
)

SCRIPT = Script(
    lang="pt",
    names=("portuguese", "português", "portugues"),
    topic_line="Hoje vamos falar de: {topic}.",
    recast="Uma dica: o certo é «{corrected}». ",
    followups=(
        "Entendo. Conte-me um pouco mais, por favor.",
        "Interessante! Por que você acha isso?",
        "Muito bem. Pode me dar um exemplo?",
    ),
    bands={"A": A, "B": B, "C": C},
)
