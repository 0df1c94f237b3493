"""The words for the program year's stored values (statuses, roles, sources), in the page's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MILESTONE_STATUS = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "skipped": _l("Skipped"),
}
PROGRESS_STATUS = {
    "not_started": _l("Not started"),
    "on_track": _l("On track"),
    "at_risk": _l("At risk"),
    "done": _l("Done"),
}
REVIEW_STATE = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted for review"),
    "validated": _l("Validated by leadership"),
    "returned": _l("Returned with comments"),
}
REVIEW_ACTION = {
    "submit": _l("Submit for leadership review"),
    "validate": _l("Validate"),
    "return": _l("Return with comments"),
    "reopen": _l("Reopen as a draft"),
}
ENGAGEMENT_STATUS = {
    "active": _l("Active"),
    "paused": _l("Paused"),
    "completed": _l("Completed"),
}
POLICY_STATUS = {
    "proposed": _l("Proposed"),
    "drafting": _l("Being drafted"),
    "in_review": _l("In review"),
    "adopted": _l("Adopted"),
}
OWNER_ROLE = {
    "cfjj": _l("CfJJ facilitator"),
    "leadership": _l("Organization leadership"),
    "working_group": _l("Internal working group"),
    "all_staff": _l("All staff"),
}
SOURCE = {
    "focus_area_mean": _l("Focus-area mean (survey)"),
    "focus_area_favorable": _l("Focus-area percent favorable (survey)"),
    "item_mean": _l("Statement mean (survey)"),
    "manual": _l("Entered by hand"),
}
DIRECTION = {
    "higher": _l("Higher is better"),
    "lower": _l("Lower is better"),
}
OUTCOME = {
    "met": _l("Target met"),
    "not_met": _l("Target not met"),
    "not_measured": _l("Not measured"),
}

KINDS = {
    "milestone": MILESTONE_STATUS,
    "progress": PROGRESS_STATUS,
    "review": REVIEW_STATE,
    "action": REVIEW_ACTION,
    "engagement": ENGAGEMENT_STATUS,
    "policy": POLICY_STATUS,
    "owner": OWNER_ROLE,
    "source": SOURCE,
    "direction": DIRECTION,
    "outcome": OUTCOME,
}

RECORD_TYPE = {
    "engagement": _l("Engagement"),
    "milestone": _l("Milestone"),
    "focus_area_selection": _l("Focus-area selection"),
    "strategy": _l("Strategy"),
    "indicator": _l("Indicator"),
    "checkin": _l("Check-in"),
    "training": _l("Training"),
    "policy": _l("Policy"),
    "working_group_member": _l("Working-group member"),
}


def label(kind: str, value: object) -> str:
    """Return the label of a stored value (its `.value` for enums), or the value itself."""
    key = str(getattr(value, "value", value))
    return str(KINDS[kind].get(key, key))
