"""Portuguese (Brazilian) lines for the demo tutor's role-plays (and the close of free talk)."""

# ruff: noqa: E501  (a table of lines and rules reads best one entry per line)

from __future__ import annotations

from tutor.emulator.roleplay.lines import Cues, Lines, Plant, Register

SIMPLE = Register(
    hello="Olá, {name}!",
    start="Vamos começar. Você primeiro!",
    acks=("Muito bem!", "Perfeito!", "Certo, entendi."),
    chat_acks=("Ah, entendi.", "Certo, compreendo.", "Ah, tá bom."),
    chat_more=("E depois?", "Conta mais!"),
    greeting="Olá, tudo bem?",
    thanks="De nada!",
    price="São quatro e cinquenta.",
    count="Dois ou três, mais ou menos.",
    time="Umas duas semanas.",
    way="Siga reto e depois vire à direita.",
    you="Eu? Eu sou daqui.",
    yes="Sim, claro.",
    open=("Boa pergunta!", "Hum, boa pergunta."),
    ask_question=("Você tem alguma pergunta?", "O que mais você quer saber?"),
    ask_more=("Mais alguma coisa?", "E o que mais?"),
    recast="Ah: “{corrected}”",
    explain="O certo é “{right}”, não “{wrong}”.",
    wrap_up="Muito bem! Paramos por aqui. Quer tentar outro tema?",
    finished="A demonstração terminou. Escolha outro tema, por favor.",
)

FULLER = Register(
    hello="Olá, {name}!",
    start="Vamos começar a cena. Pode começar, por favor.",
    acks=("Perfeito, pode deixar.", "Muito bem, sem problema.", "Combinado, já anotei."),
    chat_acks=(
        "Entendo, faz todo o sentido.",
        "Certo, obrigado por me contar.",
        "Compreendo perfeitamente.",
    ),
    chat_more=("E o que aconteceu depois?", "Me conta um pouco mais."),
    greeting="Olá, tudo bem?",
    thanks="Imagina, foi um prazer.",
    price="Então, ao todo são quatro e cinquenta.",
    count="Uns dois ou três, mais ou menos.",
    time="Umas duas semanas, mais ou menos.",
    way="Siga em frente e depois pegue a segunda rua à direita.",
    you="Eu? Eu sou daqui mesmo, moro aqui desde sempre.",
    yes="Sim, claro, sem nenhum problema.",
    open=("Boa pergunta, deixa eu pensar um pouco.", "Hum, essa é uma ótima pergunta."),
    ask_question=(
        "Tem mais alguma coisa que você queira me perguntar?",
        "O que mais você gostaria de saber?",
    ),
    ask_more=("Precisa de mais alguma coisa?", "E o que mais eu posso fazer por você?"),
    recast="Ah: “{corrected}”",
    explain="Atenção: o certo é “{right}”, não “{wrong}”.",
    wrap_up=(
        "Muito bem, você usou todas as expressões da cena. A demonstração termina aqui: "
        "que tal tentar outro tema?"
    ),
    finished="A demonstração já terminou. Você pode encerrar a conversa e escolher outro tema.",
)

CUES = Cues(
    price=r"quanto (é|custa|custam|fica|ficou|dá|deu|devo)|o preço|a conta",
    count=r"quant[oa]s\b",
    way=r"como (chego|eu chego|faço para chegar|vou)|onde (fica|é|está)",
    time=r"quando|quanto tempo|h[aá] quanto|que horas",
    you=r"\be (você|tu|o senhor|a senhora)\b|de onde (você é|é)",
    greeting=r"^(olá|oi|bom dia|boa (tarde|noite)|muito prazer|prazer)\b",
    thanks=r"obrigad[oa]|só isso|é só|tchau|até logo",
    please=r"por favor",
    wh=r"^(e )?(o que|que|qual|quais|quando|onde|aonde|como|quem|quant|por que|pra onde)",
)

PLANTS = (
    Plant(r"\bqueria\b", "quero", "Queria is the polite way to ask; quero sounds blunt.", "register"),
    Plant(r"\bestou\b", "sou", "Use estar, not ser, for states and for where you are: estou.", "grammar"),
    Plant(r"\bsou\b", "estou", "Use ser, not estar, for who you are and where you are from: sou.", "grammar"),
    Plant(r"\bposso\b", "pode", "For yourself, use the first person: posso, not pode.", "grammar"),
    Plant(r"\btenho\b", "tem", "For yourself, use the first person: tenho, not tem.", "grammar"),
    Plant(r"\bno\b", "em o", "Em and o contract to no.", "grammar"),
    Plant(r"\bna\b", "em a", "Em and a contract to na.", "grammar"),
    Plant(r"\buma\b", "um", "The noun is feminine, so the article is uma, not um.", "grammar"),
    Plant(r"\bum\b", "uma", "The noun is masculine, so the article is um, not uma.", "grammar"),
    Plant(r"\bsão\b", "é", "The subject is plural, so the verb is são, not é.", "grammar"),
)  # fmt: skip

LINES = Lines(
    lang="pt",
    notice="Tutor de demonstração: eu não entendo o que você diz.",
    simple=SIMPLE,
    fuller=FULLER,
    cues=CUES,
    plants=PLANTS,
    afterwards=("Obrigado.", "Tá bom, obrigado."),
)
