"""The Accademia dei Comuni Digitali: the catalogue (``AcademyPage``, ``CoursePage``, the
synchronous ``CourseSessionPage``), the courses' editions, the members' enrolments and
completions (the learning record) and the Open Badges issued for them."""

from .badges import IssuedBadge
from .learning import CompletionImport, CourseEdition, Enrolment
from .pages import AcademyPage, CoursePage, CourseSessionPage, CourseTarget

__all__ = [
    "AcademyPage",
    "CompletionImport",
    "CourseEdition",
    "CoursePage",
    "CourseSessionPage",
    "CourseTarget",
    "Enrolment",
    "IssuedBadge",
]
