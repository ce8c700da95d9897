"""German lines for the demo tutor's role-plays (and the close of free talk)."""

# ruff: noqa: E501  (a table of lines and rules reads best one entry per line)

from __future__ import annotations

from tutor.emulator.roleplay.lines import Cues, Lines, Plant, Register

SIMPLE = Register(
    hello="Hallo, {name}!",
    start="Wir fangen an. Sie zuerst!",
    acks=("Sehr gut!", "Prima!", "Alles klar."),
    chat_acks=("Ah, verstehe.", "Ach so, okay.", "Aha, gut."),
    chat_more=("Und dann?", "Und weiter?"),
    greeting="Hallo, guten Tag!",
    thanks="Gern geschehen!",
    price="Das macht vier Euro fünfzig.",
    count="Zwei oder drei, ungefähr.",
    time="Ungefähr zwei Wochen.",
    way="Geradeaus und dann rechts.",
    you="Ich? Ich bin von hier.",
    yes="Ja, natürlich.",
    open=("Gute Frage!", "Hm, gute Frage."),
    ask_question=("Haben Sie eine Frage?", "Was möchten Sie noch wissen?"),
    ask_more=("Noch etwas?", "Und sonst?"),
    recast="Ah: „{corrected}“",
    explain="Man sagt „{right}“, nicht „{wrong}“.",
    wrap_up="Sehr gut! Wir hören hier auf. Möchten Sie ein anderes Thema probieren?",
    finished="Die Demo ist zu Ende. Bitte wählen Sie ein anderes Thema.",
)

FULLER = Register(
    hello="Hallo, {name}!",
    start="Fangen wir mit der Szene an. Sie beginnen, bitte.",
    acks=("Alles klar, wird gemacht.", "Sehr gut, kein Problem.", "In Ordnung, notiert."),
    chat_acks=(
        "Verstehe, das kann ich gut nachvollziehen.",
        "Ach so, danke, dass Sie mir das sagen.",
        "In Ordnung, das ergibt Sinn.",
    ),
    chat_more=("Und wie ging es dann weiter?", "Und was ist dann passiert?"),
    greeting="Hallo, guten Tag!",
    thanks="Sehr gern, keine Ursache.",
    price="Das macht zusammen vier Euro fünfzig, bitte.",
    count="Ungefähr zwei oder drei, würde ich sagen.",
    time="Ungefähr zwei Wochen, glaube ich.",
    way="Gehen Sie geradeaus und nehmen Sie dann die zweite Straße rechts.",
    you="Ich? Ich wohne schon immer hier.",
    yes="Ja, selbstverständlich, gar kein Problem.",
    open=("Gute Frage, lassen Sie mich kurz überlegen.", "Hm, das ist eine wirklich gute Frage."),
    ask_question=(
        "Gibt es sonst noch etwas, das Sie wissen möchten?",
        "Was möchten Sie sonst noch wissen?",
    ),
    ask_more=("Darf es sonst noch etwas sein?", "Und was kann ich sonst für Sie tun?"),
    recast="Ah: „{corrected}“",
    explain="Achtung: Man sagt „{right}“, nicht „{wrong}“.",
    wrap_up=(
        "Sehr gut, Sie haben alle Ausdrücke der Szene benutzt. Hier endet die Demo: "
        "Warum probieren Sie nicht ein anderes Thema?"
    ),
    finished="Die Demo ist jetzt zu Ende. Sie können das Gespräch beenden und ein anderes Thema wählen.",
)

CUES = Cues(
    price=r"was kostet|wie ?viel kostet|was macht das|wie teuer|der preis|die rechnung",
    count=r"wie viele",
    way=r"wie komme ich|wie kommt man|wo ist|wo finde ich|wo gibt es",
    time=r"wann|wie lange|seit wann|um wie viel uhr",
    you=r"\bund (du|sie|ihnen|dir)\b|woher komm",
    greeting=r"^(hallo|guten (morgen|tag|abend)|moin|servus|freut mich)\b",
    thanks=r"danke|das ist alles|das war's|das wär's|tschüss|auf wiedersehen|schönen tag",
    please=r"\bbitte\b",
    wh=r"^(und )?(was|wer|wie|wo|wohin|woher|wann|warum|wieso|welche[rsnm]?)\b",
)

PLANTS = (
    Plant(r"\bhätte gern\b", "will", "Ich hätte gern is the polite way to order; ich will sounds blunt.", "register"),
    Plant(r"\bmöchte\b", "will", "Ich möchte is the polite way to ask; ich will sounds blunt.", "register"),
    Plant(r"\beinen\b", "ein", "A masculine noun as the object takes einen, not ein.", "grammar"),
    Plant(r"\bkostet\b", "kosten", "The subject is singular, so the verb is kostet.", "grammar"),
    Plant(r"\bbin\b", "ist", "With ich, the verb is bin, not ist.", "grammar"),
    Plant(r"\bhabe\b", "hat", "With ich, the verb is habe, not hat.", "grammar"),
    Plant(r"\bkann ich\b", "ich kann", "In a yes/no question the verb comes first: kann ich.", "grammar"),
    Plant(r"\bden\b", "der", "A masculine noun as the object takes den, not der.", "grammar"),
    Plant(r"\bdie\b", "der", "The noun is feminine, so the article is die, not der.", "grammar"),
    Plant(r"\b(\w+?)st du\b", r"\1t du", "With du, the verb ends in -st.", "grammar"),
    Plant(r"\bwürde gern\b", "will", "Ich würde gern is the polite way to ask; ich will sounds blunt.", "register"),
    Plant(r"\bIhnen\b", "Sie", "This verb takes the dative: Ihnen, not Sie.", "grammar"),
    Plant(r"\bist\b", "sind", "The subject is singular, so the verb is ist, not sind.", "grammar"),
)  # fmt: skip

LINES = Lines(
    lang="de",
    notice="Demo-Tutor: Gesprochenes verstehe ich nicht.",
    simple=SIMPLE,
    fuller=FULLER,
    cues=CUES,
    plants=PLANTS,
    afterwards=("Danke.", "Alles klar, danke."),
)
