"""Django model discovery for the ``sse_academy_xblock`` app: each concept keeps its own models module."""

from .profile.models import CohortCount, CohortLearnerLock, CohortScope, CohortScopeBlock, DimensionScore  # noqa: F401
from .quiz.models import QuizRoster  # noqa: F401
from .peer.models import (  # noqa: F401
    CalibrationAttempt,
    CriterionAgreement,
    Flag,
    GradeDelivery,
    PeerSubmission,
    ResponseDraft,
    Review,
    ReviewFeedback,
    ReviewLease,
    ReviewPart,
    ReviewerAgreement,
    RubricVersion,
    SelfAssessment,
    StaffAction,
)
