"""The course roster (LTI Names and Role Provisioning Services) into the classroom: every
active learner of the course gets an account and a membership, so the teacher sees the whole
class before anyone has launched; learners the platform marks inactive leave the classroom."""

from __future__ import annotations

import logging

import requests
from lti_tool.models import LtiContext, LtiMembership
from lti_tool.services.nrps import sync_memberships
from pylti1p3.exception import LtiException, LtiServiceException

from lessons.lti.provisioning import account_for, enrol
from lessons.models import Classroom, Membership

log = logging.getLogger(__name__)


def sync_roster(context: LtiContext, classroom: Classroom) -> int | None:
    """Learners in the classroom from the roster; None when the platform offers no roster or
    could not be read (the launch goes on: learners join as they launch)."""
    if not context.memberships_url:
        return None
    try:
        sync_memberships(context)
    except (LtiException, LtiServiceException, requests.RequestException, KeyError) as exc:
        log.warning("LTI roster of %s not read: %s", context, type(exc).__name__)
        return None
    members = LtiMembership.objects.filter(context=context, is_learner=True).select_related(
        "user__auth_user"
    )
    count = 0
    for member in members:
        if not member.is_active:
            if member.user.auth_user_id:
                Membership.objects.filter(
                    classroom=classroom, learner_id=member.user.auth_user_id
                ).delete()
            continue
        learner = account_for(member.user, teacher=False, language=classroom.language)
        enrol(classroom, learner)
        count += 1
    return count
