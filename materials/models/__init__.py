"""The materials of the communities: a working group's documents and their versions, the
comments on a version, the participants' validation rounds and the published outputs."""

from .pages import Licence, MaterialPage, MaterialPageTag
from .validation import RoundAnswer, RoundMailing, ValidationRound
from .workflow import ParticipantValidationTask, PublicationTask
from .workspace import AuthorCredit, DocumentVersion, VersionComment, WorkingDocument

__all__ = [
    "AuthorCredit",
    "DocumentVersion",
    "Licence",
    "MaterialPage",
    "MaterialPageTag",
    "ParticipantValidationTask",
    "PublicationTask",
    "RoundAnswer",
    "RoundMailing",
    "ValidationRound",
    "VersionComment",
    "WorkingDocument",
]
