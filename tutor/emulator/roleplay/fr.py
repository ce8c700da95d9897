"""French lines for the demo tutor's role-plays (and the close of free talk)."""

# ruff: noqa: E501  (a table of lines and rules reads best one entry per line)

from __future__ import annotations

from tutor.emulator.roleplay.lines import Cues, Lines, Plant, Register

SIMPLE = Register(
    hello="Bonjour, {name} !",
    start="On commence. À vous !",
    acks=("Très bien !", "Parfait !", "D'accord, c'est noté."),
    chat_acks=("Ah, je vois.", "D'accord, je comprends.", "Ah bon, d'accord."),
    chat_more=("Et après ?", "Racontez-moi."),
    greeting="Bonjour !",
    thanks="De rien !",
    price="Ça fait quatre euros cinquante.",
    count="Deux ou trois, à peu près.",
    time="Environ deux semaines.",
    way="Tout droit, puis à droite.",
    you="Moi ? Je suis d'ici.",
    yes="Oui, bien sûr.",
    open=("Bonne question !", "Hmm, bonne question."),
    ask_question=("Vous avez une question ?", "Vous voulez savoir autre chose ?"),
    ask_more=("Et avec ceci ?", "Et quoi d'autre ?"),
    recast="Ah : « {corrected} »",
    explain="On dit « {right} », pas « {wrong} ».",
    wrap_up="Très bien ! On s'arrête là. Vous voulez essayer un autre thème ?",
    finished="La démonstration est finie. Choisissez un autre thème, s'il vous plaît.",
)

FULLER = Register(
    hello="Bonjour, {name} !",
    start="Commençons la scène. À vous de commencer.",
    acks=(
        "Parfait, c'est noté.",
        "Très bien, aucun problème.",
        "D'accord, je m'en occupe tout de suite.",
    ),
    chat_acks=(
        "Je vois, je comprends tout à fait.",
        "D'accord, merci de me le dire.",
        "Je comprends, c'est logique.",
    ),
    chat_more=("Et ensuite, que s'est-il passé ?", "Racontez-m'en un peu plus."),
    greeting="Bonjour !",
    thanks="Je vous en prie, avec plaisir.",
    price="Alors, ça vous fait quatre euros cinquante en tout.",
    count="Deux ou trois, je dirais.",
    time="Deux semaines environ, je crois.",
    way="Allez tout droit, puis prenez la deuxième rue à droite.",
    you="Moi ? Je suis d'ici, j'y ai toujours vécu.",
    yes="Oui, bien sûr, sans aucun problème.",
    open=(
        "Bonne question ; laissez-moi réfléchir un instant.",
        "Hmm, c'est une très bonne question.",
    ),
    ask_question=(
        "Y a-t-il autre chose que vous voudriez savoir ?",
        "Qu'est-ce que vous aimeriez savoir d'autre ?",
    ),
    ask_more=("Il vous faut autre chose ?", "Et ensuite, que puis-je faire pour vous ?"),
    recast="Ah : « {corrected} »",
    explain="Attention : on dit « {right} », pas « {wrong} ».",
    wrap_up=(
        "Très bien, vous avez utilisé toutes les expressions de la scène. La démonstration "
        "s'arrête ici : pourquoi ne pas essayer un autre thème ?"
    ),
    finished=(
        "La démonstration est terminée. Vous pouvez finir la conversation et choisir un "
        "autre thème."
    ),
)

CUES = Cues(
    price=r"combien (ça|ca|cela|je vous dois|co[uû]te)|c'est combien|le prix|l'addition",
    count=r"combien de",
    way=r"comment (aller|on va|je vais|faire pour aller)|o[uù] (est|se trouve|sont)",
    time=r"quand|combien de temps|depuis quand|[àa] quelle heure",
    you=r"\bet (toi|vous)\b|d'o[uù] (viens|venez|es|êtes)",
    greeting=r"^(bonjour|bonsoir|salut|enchanté)\b",
    thanks=r"merci|c'est tout|au revoir|bonne journ[ée]e",
    please=r"s'il vous pla[iî]t|s'il te pla[iî]t",
    wh=r"^(et )?(qu'est-ce|que|quoi|quel|quelle|quels|quelles|quand|o[uù]|comment|qui|combien|pourquoi)\b",
)

PLANTS = (
    Plant(r"\bje voudrais\b", "je veux", "Je voudrais is the polite way to ask; je veux sounds blunt.", "register"),
    Plant(r"\bj['’]ai\b", "je suis", "Use avoir here: j'ai, not je suis.", "grammar"),
    Plant(r"\bau\b", "à le", "À and le contract to au.", "grammar"),
    Plant(r"\bdu\b", "de le", "De and le contract to du.", "grammar"),
    Plant(r"\bpeux\b", "peut", "With je, the verb is peux, not peut.", "grammar"),
    Plant(r"\bune\b", "un", "The noun is feminine, so the article is une, not un.", "grammar"),
    Plant(r"\bla\b", "le", "The noun is feminine, so the article is la, not le.", "grammar"),
    Plant(r"\bun\b", "une", "The noun is masculine, so the article is un, not une.", "grammar"),
    Plant(r"\ble\b", "la", "The noun is masculine, so the article is le, not la.", "grammar"),
    Plant(r"\bsont\b", "est", "The subject is plural, so the verb is sont, not est.", "grammar"),
)  # fmt: skip

LINES = Lines(
    lang="fr",
    notice="Tuteur de démonstration : je ne comprends pas ce qui est dit.",
    simple=SIMPLE,
    fuller=FULLER,
    cues=CUES,
    plants=PLANTS,
    afterwards=("Merci.", "D'accord, merci."),
)
