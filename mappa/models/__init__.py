"""The Mappa dei Comuni Digitali and the competence-centre survey: campaigns of questionnaires
about an authority (one response per Ente), the accreditation of each Ente's compilers, the
Ente's shared draft with its history, the submissions and their scores."""

from .campaigns import Campaign, DeadlineExtension
from .compile import Accreditation, AreaScore, DraftChange, EnteDraft, Submission
from .pages import MappaPage

__all__ = [
    "Accreditation",
    "AreaScore",
    "Campaign",
    "DeadlineExtension",
    "DraftChange",
    "EnteDraft",
    "MappaPage",
    "Submission",
]
