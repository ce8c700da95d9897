"""French demo dialogues."""

from __future__ import annotations

from tutor.emulator.scripts import Band, Script, Step

A = Band(
    greeting="Comment ça va aujourd'hui ?",
    steps=(
        Step(
            learner="Ça va bien. Je suis vingt ans et j'habite à Lyon.",
            match=r"\b([Jj])e suis (\w+) ans",
            replace=r"\1'ai \2 ans",
            explanation="In French you 'have' your age: j'ai vingt ans.",
            kind="grammar",
            phrase=("avoir vingt ans", "to be twenty years old"),
            reply="Ah, tu as vingt ans et tu habites à Lyon. Super ! Qu'est-ce que tu étudies ?",
        ),
        Step(
            learner="Je étudie la biologie. J'aime beaucoup la nature.",
            match=r"\b([Jj])e ([aeéèiou])",
            replace=r"\1'\2",
            explanation="Je becomes j' before a vowel: j'étudie.",
            kind="grammar",
            reply="Tu étudies la biologie, c'est passionnant ! Qu'est-ce que tu fais le week-end ?",
        ),
        Step(
            learner="Le week-end, je vais à le marché avec mes amis.",
            match=r"\bà le\b",
            replace="au",
            explanation="À + le always contracts to au: je vais au marché.",
            kind="grammar",
            phrase=("aller au marché", "to go to the market"),
            reply="Tu vas au marché avec tes amis, c'est sympa.",
        ),
    ),
)

B = Band(
    greeting="Raconte-moi, qu'est-ce que tu as fait le week-end dernier ?",
    steps=(
        Step(
            learner="Le week-end dernier, j'ai allé au cinéma avec ma sœur.",
            match=r"\b[Jj]'ai allé",
            replace="je suis allé",
            explanation="Aller takes être in the passé composé: je suis allé.",
            kind="grammar",
            reply="Ah, tu es allé au cinéma avec ta sœur ! Quel film avez-vous vu ?",
        ),
        Step(
            learner="Nous avons vu une comédie très drôle. Je suis excité de voir la suite.",
            match=r"\b[Jj]e suis excitée? de",
            replace="J'ai hâte de",
            explanation="'Excité' often has a sexual meaning; say 'j'ai hâte de' instead.",
            kind="vocabulary",
            phrase=("avoir hâte de", "to look forward to"),
            reply=(
                "Une comédie, génial ! Et tu as hâte de voir la suite. "
                "Tu préfères voir les films au cinéma ou chez toi ?"
            ),
        ),
        Step(
            learner="Je préfère le cinéma, mais c'est plus cher que avant.",
            match=r"\bque ([aeéiou])",
            replace=r"qu'\1",
            explanation="Que becomes qu' before a vowel: plus cher qu'avant.",
            kind="pronunciation",
            reply=("C'est vrai, le cinéma est plus cher qu'avant."),
        ),
    ),
)

C = Band(
    greeting="Débattons : le télétravail est-il une bonne chose pour la société ?",
    steps=(
        Step(
            learner="Je pense que oui, bien qu'il est difficile de séparer vie privée et travail.",
            match=r"\bbien qu'il est\b",
            replace="bien qu'il soit",
            explanation="Bien que is followed by the subjunctive: bien qu'il soit.",
            kind="grammar",
            reply=(
                "Je vois : c'est positif, bien qu'il soit difficile de séparer vie privée et "
                "travail. Et les entreprises, qu'est-ce qu'elles y gagnent ?"
            ),
        ),
        Step(
            learner="Si les employés seraient plus heureux, ils travailleraient mieux.",
            match=r"\b([Ss]i les employés) seraient",
            replace=r"\1 étaient",
            explanation="After 'si' use the imperfect (étaient), never the conditional.",
            kind="grammar",
            reply=(
                "Exactement : si les employés étaient plus heureux, ils travailleraient mieux. "
                "Comment les managers peuvent-ils garder le contact avec leur équipe ?"
            ),
        ),
        Step(
            learner="Ils doivent organiser des réunions et demander les employés leur avis.",
            match=r"\bdemander les (\w+)",
            replace=r"demander aux \1",
            explanation="You ask something 'à' someone: demander aux employés.",
            kind="grammar",
            phrase=("garder le contact", "to stay in touch"),
            reply=("Bonne idée : des réunions, et demander aux employés leur avis."),
        ),
    ),
)

SCRIPT = Script(
    lang="fr",
    names=("french", "français", "francais"),
    topic_line="Aujourd'hui, on parle de : {topic}.",
    recast="Petite remarque : on dit « {corrected} ». ",
    followups=(
        "Je vois. Tu peux m'en dire un peu plus ?",
        "Intéressant ! Pourquoi tu penses ça ?",
        "Très bien. Tu peux me donner un exemple ?",
    ),
    bands={"A": A, "B": B, "C": C},
)
