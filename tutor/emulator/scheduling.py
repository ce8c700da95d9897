"""What the model does with the answer to a NON_BLOCKING call: `FunctionResponse.scheduling`.

The SDK's type docs (`types.FunctionResponseScheduling`, google-genai 3.6.1): the field
"specifies how the response should be scheduled in the conversation. Only applicable to
NON_BLOCKING function calls, is ignored otherwise. Defaults to WHEN_IDLE."

- SILENT: "only add the result to the conversation context, do not interrupt or trigger
  generation": nothing is said;
- WHEN_IDLE (and a response without `scheduling`): "add the result to the conversation context,
  and prompt to generate output without interrupting ongoing generation": once the turn in
  flight is over, the tutor speaks about the result in a turn of its own;
- INTERRUPT: "add the result to the conversation context, interrupt ongoing generation and
  prompt to generate output": a reply being spoken is cut (`interrupted`, `turnComplete`), then
  the tutor speaks about the result.

What the demo tutor says about a result is the emulator's own choice: the correction recast
("Por cierto, se dice: «…»."), the phrase noted or the upgraded line. Any other value is not a
`FunctionResponseScheduling` and closes the session with 1007, as a proto enum would.
"""

from __future__ import annotations

from typing import Any

from tutor.emulator.scripts import load
from tutor.emulator.setup import INVALID_ARGUMENT, ProtocolError

SCHEDULINGS = ("SCHEDULING_UNSPECIFIED", "SILENT", "WHEN_IDLE", "INTERRUPT")
SPEAKS = ("WHEN_IDLE", "INTERRUPT")


def scheduling(response: dict[str, Any]) -> str:
    """A functionResponse's scheduling, WHEN_IDLE when absent or unspecified."""
    value = response.get("scheduling", "WHEN_IDLE")
    if value not in SCHEDULINGS:
        raise ProtocolError(1007, INVALID_ARGUMENT)
    return "WHEN_IDLE" if value == "SCHEDULING_UNSPECIFIED" else str(value)


def about(lang: str, name: str, args: dict[str, str]) -> str | None:
    """What the tutor says about a call's result when its scheduling makes it speak."""
    if name == "note_correction" and args.get("corrected"):
        corrected = args["corrected"].rstrip(".!?\u3002\uff01\uff1f")
        return load(lang).recast.format(corrected=corrected).strip()
    if name == "note_phrase" and args.get("text"):
        return args["text"]
    if name == "note_upgrade" and args.get("upgraded"):
        return args["upgraded"]  # the better way, said once more
    return None
