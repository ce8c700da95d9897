"""Teachers' comments on a learner's conversation (a comment also takes the conversation off
the teacher's review queue, `lessons.selectors.review_queue`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lessons.models import Comment, Conversation, Turn

if TYPE_CHECKING:
    from accounts.models import User


def comment_add(
    *, conversation: Conversation, author: User, text: str, turn: Turn | None = None
) -> Comment:
    """A teacher's note to the learner; it also takes the conversation off the review queue."""
    if turn is not None and turn.conversation_id != conversation.pk:
        raise ValueError("the turn belongs to another conversation")
    comment = Comment(conversation=conversation, author=author, text=text, turn=turn)
    comment.full_clean()
    comment.save()
    return comment
