"""English demo dialogues (for learners of English)."""

from __future__ import annotations

from tutor.emulator.scripts import Band, Script, Step

A = Band(
    greeting="How are you today?",
    steps=(
        Step(
            learner="I'm fine, thanks. I have twenty years and I study in London.",
            match=r"\bI have (\w+) years( old)?",
            replace=r"I am \1 years old",
            explanation="In English you 'are' an age: I am twenty years old.",
            kind="grammar",
            phrase=("I'm twenty (years old)", "how to say your age"),
            reply="You're twenty and you study in London, great! What do you do in your free time?",
        ),
        Step(
            learner="I like cooking. Yesterday I have cooked a big dinner for my family.",
            match=r"\b([Yy]esterday) I have (\w+ed)\b",
            replace=r"\1 I \2",
            explanation="With a finished time like 'yesterday', use the past simple: I cooked.",
            kind="grammar",
            reply="You cooked a big dinner for your family yesterday, lovely! What did you make?",
        ),
        Step(
            learner="I made a vegetable soup. It was very delicious.",
            match=r"\bvery delicious\b",
            replace="really delicious",
            explanation="'Delicious' is already strong, so say 'really delicious', not 'very'.",
            kind="vocabulary",
            phrase=("really delicious", "extremely tasty"),
            reply="A vegetable soup, and it was really delicious.",
        ),
    ),
)

B = Band(
    greeting="Tell me, what did you do last weekend?",
    steps=(
        Step(
            learner="Last weekend I have been to the beach with my friends.",
            match=r"\b([Ll]ast weekend) I have been to",
            replace=r"\1 I went to",
            explanation="With 'last weekend' use the past simple: I went.",
            kind="grammar",
            reply="You went to the beach with your friends, how nice! What was the weather like?",
        ),
        Step(
            learner="It was sunny, but the water was too cold, so we made a picnic instead.",
            match=r"\bmade a picnic\b",
            replace="had a picnic",
            explanation="In English you 'have' a picnic; you don't 'make' one.",
            kind="vocabulary",
            phrase=("to have a picnic", "to eat a meal outdoors"),
            reply="So you had a picnic instead, good idea! Do you prefer beaches or mountains?",
        ),
        Step(
            learner="I prefer the mountains. I'm looking forward to go hiking in Scotland.",
            match=r"\blooking forward to go\b",
            replace="looking forward to going",
            explanation="'Look forward to' is followed by the -ing form: looking forward to going.",
            kind="grammar",
            reply=("You're looking forward to going hiking in Scotland, brilliant!"),
        ),
    ),
)

C = Band(
    greeting="Let's debate: is remote work good for society?",
    steps=(
        Step(
            learner="I think so, although people feel isolated and the communication is harder.",
            match=r"\bthe communication is\b",
            replace="communication is",
            explanation="Abstract nouns in general statements take no article.",
            kind="grammar",
            reply=(
                "I see: it's positive, although people feel isolated and communication is harder. "
                "What do companies gain from it?"
            ),
        ),
        Step(
            learner="If employees would be happier, they would work better.",
            match=r"\b([Ii]f \w+) would be\b",
            replace=r"\1 were",
            explanation="In the if-clause use the past simple, not 'would': if employees were.",
            kind="grammar",
            reply=(
                "Exactly: if employees were happier, they would work better. "
                "How can managers stay in touch with their team?"
            ),
        ),
        Step(
            learner="They should do regular meetings and ask people for their opinions.",
            match=r"\bdo regular meetings\b",
            replace="hold regular meetings",
            explanation="We 'hold' or 'have' meetings rather than 'do' them.",
            kind="vocabulary",
            phrase=("to hold a meeting", "to organise and run a meeting"),
            reply=("Good point: hold regular meetings and ask people for their opinions."),
        ),
    ),
)

SCRIPT = Script(
    lang="en",
    names=("english",),
    topic_line="Today we're talking about: {topic}.",
    recast='Just a small note: we say "{corrected}". ',
    followups=(
        "I see. Can you tell me a bit more?",
        "Interesting! Why do you think so?",
        "Very good. Can you give me an example?",
    ),
    bands={"A": A, "B": B, "C": C},
)
