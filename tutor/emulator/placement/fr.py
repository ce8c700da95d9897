"""French placement script."""

# ruff: noqa: E501  (one line per sentence reads best in a script)

from __future__ import annotations

from tutor.emulator.placement import PlacementScript, Probe

SCRIPT = PlacementScript(
    lang="fr",
    intro="On va discuter quelques minutes pour trouver ton niveau.",
    ack="D'accord.",
    easier="Bien, essayons autre chose.",
    closing="Merci beaucoup, j'ai tout ce qu'il me faut. Appuie sur Terminer pour voir ton résultat.",
    over="Nous avons terminé. Appuie sur Terminer pour voir ton résultat.",
    probes={
        "A1": Probe(
            question="Comment tu t'appelles et où est-ce que tu habites ?",
            followup="Et qu'est-ce que tu aimes faire ?",
            answer="Je m'appelle Ana. J'habite à Londres.",
            followup_answer="J'aime lire et nager.",
        ),
        "A2": Probe(
            question="Qu'est-ce que tu fais d'habitude le samedi ?",
            followup="Avec qui, et pourquoi est-ce que tu aimes ça ?",
            answer="Le samedi je vais au marché et après je mange avec ma famille.",
            followup_answer="Avec ma sœur, parce qu'on parle beaucoup et on mange bien.",
        ),
        "B1": Probe(
            question="Raconte-moi un voyage que tu as beaucoup aimé. Qu'est-ce qui s'est passé ?",
            followup="Pourquoi est-ce que c'était si spécial pour toi ?",
            answer="L'année dernière je suis allée à Lyon avec des amis et nous avons visité la vieille ville.",
            followup_answer="Parce que c'était la première fois que je voyageais seule et j'ai rencontré des gens sympas.",
        ),
        "B2": Probe(
            question="Penses-tu que le télétravail est bon pour la société ? Explique les avantages et les inconvénients.",
            followup="Que ferais-tu pour résoudre ces inconvénients ?",
            answer="Euh... c'est bien, je pense. Je sais pas.",
            followup_answer="Je sais pas... c'est difficile.",
        ),
        "C1": Probe(
            question="Dans quelle mesure la technologie devrait-elle décider pour nous au quotidien ?",
            followup="Peux-tu nuancer cela avec un exemple concret ?",
            answer="C'est... compliqué. Je sais pas.",
            followup_answer="Un exemple... je sais pas.",
        ),
        "C2": Probe(
            question="Si tu pouvais réécrire une coutume de ton pays, laquelle serait-ce, et quelles nuances perdrait-on ?",
            followup="Ce changement n'aurait-il pas des conséquences imprévues ?",
            answer="Pardon, je comprends pas bien.",
            followup_answer="Je sais pas quoi dire.",
        ),
    },
)
