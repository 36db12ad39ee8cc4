"""LMS connectors: the registry by ``CATALOGUE_LMS_KIND`` (``registry``) and Moodle's.

Moodle's connector is three layers: the Web Services client (``moodle``, its
records in ``protocol``, its errors in ``errors``, PHP form encoding in
``params``) and the adapter to the catalogue's sync port (``moodle_gateway``).
"""

from workers.lms.errors import (
    LmsAuthError,
    LmsError,
    LmsInvalidParameterError,
    LmsNotFoundError,
    LmsPermanentError,
    LmsTransientError,
)
from workers.lms.moodle import COMPETENCY_FUNCTIONS, REQUIRED_FUNCTIONS, MoodleConnector
from workers.lms.protocol import (
    DEFAULT_STUDENT_ROLE_ID,
    CompletionState,
    LmsActivity,
    LmsCompetency,
    LmsCompetencyFramework,
    LmsCompletion,
    LmsConnector,
    LmsCourse,
    LmsCourseCompetency,
    LmsEnrolmentRequest,
    LmsItemWarning,
    LmsListing,
    LmsScale,
    LmsSiteInfo,
    LmsUser,
    UserField,
)

__all__ = [
    "COMPETENCY_FUNCTIONS",
    "DEFAULT_STUDENT_ROLE_ID",
    "REQUIRED_FUNCTIONS",
    "CompletionState",
    "LmsActivity",
    "LmsAuthError",
    "LmsCompetency",
    "LmsCompetencyFramework",
    "LmsCompletion",
    "LmsConnector",
    "LmsCourse",
    "LmsCourseCompetency",
    "LmsEnrolmentRequest",
    "LmsError",
    "LmsInvalidParameterError",
    "LmsItemWarning",
    "LmsListing",
    "LmsNotFoundError",
    "LmsPermanentError",
    "LmsScale",
    "LmsSiteInfo",
    "LmsTransientError",
    "LmsUser",
    "MoodleConnector",
    "UserField",
]
