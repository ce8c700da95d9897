"""English lines for the demo tutor's role-plays (and the close of free talk)."""

# ruff: noqa: E501  (a table of lines and rules reads best one entry per line)

from __future__ import annotations

from tutor.emulator.roleplay.lines import Cues, Lines, Plant, Register

SIMPLE = Register(
    hello="Hello, {name}!",
    start="Let's start. You first!",
    acks=("Very good!", "Perfect!", "OK, got it."),
    chat_acks=("Ah, I see.", "OK, I understand.", "Right, OK."),
    chat_more=("And then?", "Tell me more."),
    greeting="Hello there!",
    thanks="You're welcome!",
    price="That's four fifty, please.",
    count="Two or three.",
    time="About two weeks.",
    way="Go straight on, then turn right.",
    you="Me? I'm from here.",
    yes="Yes, of course.",
    open=("Good question!", "Hmm, good question."),
    ask_question=("Any questions?", "What else do you want to know?"),
    ask_more=("Anything else?", "And what else?"),
    recast="Ah: “{corrected}”",
    explain="We say “{right}”, not “{wrong}”.",
    wrap_up="Very good! Let's stop here. Do you want to try another topic?",
    finished="The demo is over. Please choose another topic.",
)

FULLER = Register(
    hello="Hello, {name}!",
    start="Let's begin the scene. Please go first.",
    acks=(
        "Perfect, I'll sort that out.",
        "Very good, no problem at all.",
        "All right, I've made a note of that.",
    ),
    chat_acks=(
        "I see; that makes perfect sense.",
        "All right, thanks for telling me.",
        "I understand completely.",
    ),
    chat_more=("And what happened next?", "Tell me a bit more about it."),
    greeting="Hello there!",
    thanks="You're very welcome, it's a pleasure.",
    price="So that comes to four fifty altogether.",
    count="Two or three, I'd say.",
    time="About two weeks, I think.",
    way="Go straight ahead, then take the second street on the right.",
    you="Me? I'm from around here; I've always lived here.",
    yes="Yes, of course, that's no problem at all.",
    open=(
        "Good question; let me think about that for a moment.",
        "Hmm, that's a really good question.",
    ),
    ask_question=(
        "Is there anything else you'd like to ask me?",
        "What else would you like to know?",
    ),
    ask_more=("Will there be anything else?", "And what else can I do for you?"),
    recast="Ah: “{corrected}”",
    explain="Careful: we say “{right}”, not “{wrong}”.",
    wrap_up=(
        "Very good, you've used every phrase in the scene. The demo ends here: why not try "
        "another topic?"
    ),
    finished="The demo is over now. You can end the conversation and choose another topic.",
)

CUES = Cues(
    price=r"how much (is|are|does|do|will|would)|what do i owe|the price|the bill|the check",
    count=r"how many",
    way=r"how (do|can|would) (i|we|you) get|where (is|are|can i find)|which way",
    time=r"when|how long|what time",
    you=r"\band you\b|\bwhat about you\b|\bhow about you\b|where are you from|where do you come from",
    greeting=r"^(hello|hi|good (morning|afternoon|evening)|nice to meet you|pleased to meet you)\b",
    thanks=r"thank|that's all|that is all|that's everything|goodbye|\bbye\b|have a nice day",
    please=r"\bplease\b",
    wh=r"^(and |so )?(what|who|whom|whose|where|when|why|how|which)\b",
)

PLANTS = (
    Plant(r"\bI['’]d like\b", "I want", "I'd like is the polite way to ask; I want sounds blunt.", "register"),
    Plant(r"\bhow much\b", "how many", "Use how much for prices and for things you cannot count.", "grammar"),
    Plant(r"\bcan I\b", "I can", "In a question the verb comes first: can I.", "grammar"),
    Plant(r"\bdoes\b", "do", "With he, she or it, use does, not do.", "grammar"),
    Plant(r"\bI have\b", "I has", "With I, the verb is have, not has.", "grammar"),
    Plant(r"\bis\b", "are", "The subject is singular, so the verb is is, not are.", "grammar"),
    Plant(r"\ban\b", "a", "Before a vowel sound, use an, not a.", "grammar"),
    Plant(r"\bwas\b", "were", "With I, he, she or it, the past of be is was, not were.", "grammar"),
)  # fmt: skip

LINES = Lines(
    lang="en",
    notice="Demo tutor: I can't understand what you say.",
    simple=SIMPLE,
    fuller=FULLER,
    cues=CUES,
    plants=PLANTS,
    afterwards=("Thanks.", "OK, thank you."),
)
