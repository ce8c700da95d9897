"""Portuguese placement script."""

# ruff: noqa: E501  (one line per sentence reads best in a script)

from __future__ import annotations

from tutor.emulator.placement import PlacementScript, Probe

SCRIPT = PlacementScript(
    lang="pt",
    intro="Vamos conversar alguns minutos para encontrar o seu nível.",
    ack="Está bem.",
    easier="Certo, vamos tentar outra coisa.",
    closing="Muito obrigada, já tenho o que preciso. Carregue em Terminar para ver o seu resultado.",
    over="Já terminámos. Carregue em Terminar para ver o seu resultado.",
    probes={
        "A1": Probe(
            question="Como se chama e onde mora?",
            followup="E o que gosta de fazer?",
            answer="Chamo-me Ana. Moro em Londres.",
            followup_answer="Gosto de ler e de nadar.",
        ),
        "A2": Probe(
            question="O que faz normalmente ao sábado?",
            followup="Com quem, e porque é que gosta?",
            answer="Ao sábado vou ao mercado e depois almoço com a minha família.",
            followup_answer="Com a minha irmã, porque falamos muito e comemos bem.",
        ),
        "B1": Probe(
            question="Conte-me uma viagem de que gostou muito. O que aconteceu?",
            followup="Porque é que foi tão especial para si?",
            answer="No ano passado fui ao Porto com uns amigos e visitámos as caves do vinho.",
            followup_answer="Porque era a primeira vez que viajava sozinha e conheci pessoas muito simpáticas.",
        ),
        "B2": Probe(
            question="Acha que o teletrabalho é bom para a sociedade? Explique as vantagens e as desvantagens.",
            followup="O que faria para resolver essas desvantagens?",
            answer="Hum... é bom, acho. Não sei.",
            followup_answer="Não sei... é difícil.",
        ),
        "C1": Probe(
            question="Até que ponto deveria a tecnologia decidir por nós no dia a dia?",
            followup="Pode matizar isso com um exemplo concreto?",
            answer="É... complicado. Não sei dizer.",
            followup_answer="Um exemplo... não sei.",
        ),
        "C2": Probe(
            question="Se pudesse reescrever um costume do seu país, qual seria, e que matizes perderíamos?",
            followup="Não acha que essa mudança teria consequências imprevistas?",
            answer="Desculpe, não percebo bem.",
            followup_answer="Não sei o que dizer.",
        ),
    },
)
