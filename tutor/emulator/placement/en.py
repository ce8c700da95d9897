"""English placement script."""

# ruff: noqa: E501  (one line per sentence reads best in a script)

from __future__ import annotations

from tutor.emulator.placement import PlacementScript, Probe

SCRIPT = PlacementScript(
    lang="en",
    intro="Let's chat for a few minutes to find your level.",
    ack="All right.",
    easier="OK, let's try something different.",
    closing="Thank you very much, I have what I need. Press Finish to see your result.",
    over="We've finished. Press Finish to see your result.",
    probes={
        "A1": Probe(
            question="What's your name, and where do you live?",
            followup="And what do you like doing?",
            answer="My name is Ana. I live in Madrid.",
            followup_answer="I like reading and swimming.",
        ),
        "A2": Probe(
            question="What do you usually do on a Saturday?",
            followup="Who with, and why do you like it?",
            answer="On Saturdays I go to the market and then I have lunch with my family.",
            followup_answer="With my sister, because we talk a lot and eat well.",
        ),
        "B1": Probe(
            question="Tell me about a trip you really enjoyed. What happened?",
            followup="Why was it so special for you?",
            answer="Last year I went to Edinburgh with some friends and we walked up to the castle at night.",
            followup_answer="Because it was the first time I travelled alone and I met some really friendly people.",
        ),
        "B2": Probe(
            question="Is working from home good for society? Explain the advantages and disadvantages.",
            followup="What would you do about those disadvantages?",
            answer="Er... it's good, I think. I don't know.",
            followup_answer="I don't know... it's hard.",
        ),
        "C1": Probe(
            question="To what extent should technology make decisions for us in everyday life?",
            followup="Could you qualify that with a concrete example?",
            answer="It's... complicated. I can't say.",
            followup_answer="An example... I don't know.",
        ),
        "C2": Probe(
            question="If you could rewrite one custom of your country, which would it be, and what subtleties would we lose?",
            followup="Wouldn't that change have unintended consequences?",
            answer="Sorry, I don't really understand.",
            followup_answer="I don't know what to say.",
        ),
    },
)
