"""LMS connectors: the protocol the sync programs against and its Moodle implementation."""

from workers.lms.errors import (
    LmsAuthError,
    LmsError,
    LmsInvalidParameterError,
    LmsNotFoundError,
    LmsPermanentError,
    LmsTransientError,
)
from workers.lms.moodle import REQUIRED_FUNCTIONS, MoodleConnector
from workers.lms.protocol import (
    DEFAULT_STUDENT_ROLE_ID,
    CompletionState,
    LmsActivity,
    LmsCompletion,
    LmsConnector,
    LmsCourse,
    LmsEnrolmentRequest,
    LmsItemWarning,
    LmsListing,
    LmsSiteInfo,
    LmsUser,
    UserField,
)

__all__ = [
    "DEFAULT_STUDENT_ROLE_ID",
    "REQUIRED_FUNCTIONS",
    "CompletionState",
    "LmsActivity",
    "LmsAuthError",
    "LmsCompletion",
    "LmsConnector",
    "LmsCourse",
    "LmsEnrolmentRequest",
    "LmsError",
    "LmsInvalidParameterError",
    "LmsItemWarning",
    "LmsListing",
    "LmsNotFoundError",
    "LmsPermanentError",
    "LmsSiteInfo",
    "LmsTransientError",
    "LmsUser",
    "MoodleConnector",
    "UserField",
]
