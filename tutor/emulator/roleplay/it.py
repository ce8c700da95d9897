"""Italian lines for the demo tutor's role-plays (and the close of free talk)."""

# ruff: noqa: E501  (a table of lines and rules reads best one entry per line)

from __future__ import annotations

from tutor.emulator.roleplay.lines import Cues, Lines, Plant, Register

SIMPLE = Register(
    hello="Ciao, {name}!",
    start="Cominciamo. Prima tu!",
    acks=("Benissimo!", "Perfetto!", "Va bene, capito."),
    chat_acks=("Ah, capisco.", "Va bene, ho capito.", "Ah, d'accordo."),
    chat_more=("E poi?", "Racconta!"),
    greeting="Buongiorno!",
    thanks="Prego!",
    price="Sono quattro euro e cinquanta.",
    count="Due o tre, più o meno.",
    time="Circa due settimane.",
    way="Sempre dritto, poi a destra.",
    you="Io? Io sono di qui.",
    yes="Sì, certo.",
    open=("Bella domanda!", "Mmm, bella domanda."),
    ask_question=("Hai una domanda?", "Cos'altro vuoi sapere?"),
    ask_more=("Altro?", "E poi?"),
    recast="Ah: «{corrected}»",
    explain="Si dice «{right}», non «{wrong}».",
    wrap_up="Benissimo! Finiamo qui. Vuoi provare un altro tema?",
    finished="La demo è finita. Scegli un altro tema, per favore.",
)

FULLER = Register(
    hello="Ciao, {name}!",
    start="Cominciamo la scena. Comincia tu, per favore.",
    acks=("Perfetto, ci penso io.", "Benissimo, nessun problema.", "D'accordo, me lo segno."),
    chat_acks=(
        "Capisco, ha perfettamente senso.",
        "D'accordo, grazie di avermelo detto.",
        "Ah, ho capito benissimo.",
    ),
    chat_more=("E poi cos'è successo?", "Raccontami un po' di più."),
    greeting="Buongiorno!",
    thanks="Prego, figurati, è un piacere.",
    price="Allora, in tutto sono quattro euro e cinquanta.",
    count="Direi due o tre, più o meno.",
    time="Un paio di settimane, più o meno.",
    way="Vai sempre dritto e poi prendi la seconda strada a destra.",
    you="Io? Io sono di qui, ci ho sempre vissuto.",
    yes="Sì, certo, nessun problema.",
    open=("Bella domanda, fammi pensare un attimo.", "Mmm, è davvero una bella domanda."),
    ask_question=("C'è qualcos'altro che vuoi chiedermi?", "Che altro ti piacerebbe sapere?"),
    ask_more=("Ti serve altro?", "E poi, cosa posso fare per te?"),
    recast="Ah: «{corrected}»",
    explain="Attenzione: si dice «{right}», non «{wrong}».",
    wrap_up=(
        "Benissimo, hai usato tutte le espressioni della scena. La demo finisce qui: "
        "perché non provi un altro tema?"
    ),
    finished="La demo è finita. Puoi chiudere la conversazione e scegliere un altro tema.",
)

CUES = Cues(
    price=r"quanto (costa|costano|viene|vengono|le devo|ti devo|fa)|il prezzo|il conto",
    count=r"quant[ie]\b",
    way=r"come (arrivo|si arriva|vado|faccio ad arrivare)|dov['’]è|dove (è|si trova|sono)",
    time=r"quando|quanto tempo|da quanto|a che ora",
    you=r"\be (tu|lei)\b|di dove (sei|è)|da dove vien",
    greeting=r"^(ciao|buongiorno|buonasera|salve|piacere)\b",
    thanks=r"grazie|è tutto|basta così|arrivederci|buona giornata",
    please=r"per favore|per piacere",
    wh=r"^(e )?(che|cosa|chi|come|dove|dov['’]|quando|qual|quant|perché)",
)

PLANTS = (
    Plant(r"\bvorrei\b", "voglio", "Vorrei is the polite way to ask; voglio sounds blunt.", "register"),
    Plant(r"\bho\b", "sono", "Use avere here: ho, not sono.", "grammar"),
    Plant(r"\bposso\b", "può", "For yourself, use the first person: posso, not può.", "grammar"),
    Plant(r"\bcosta\b", "costano", "The subject is singular, so the verb is costa.", "grammar"),
    Plant(r"\buna\b", "un", "The noun is feminine, so the article is una, not un.", "grammar"),
    Plant(r"\bla\b", "il", "The noun is feminine, so the article is la, not il.", "grammar"),
    Plant(r"\bil\b", "la", "The noun is masculine, so the article is il, not la.", "grammar"),
    Plant(r"\bun\b", "una", "The noun is masculine, so the article is un, not una.", "grammar"),
    Plant(r"\bal\b", "a il", "A and il contract to al.", "grammar"),
)  # fmt: skip

LINES = Lines(
    lang="it",
    notice="Tutor dimostrativo: non capisco quello che dici.",
    simple=SIMPLE,
    fuller=FULLER,
    cues=CUES,
    plants=PLANTS,
    afterwards=("Grazie.", "Va bene, grazie."),
)
