from .pages import SurveyIndexPage, SurveyPage
from .responses import (
    Answer,
    Draft,
    Participation,
    QuestionnaireVersion,
    Response,
    ResultCell,
    Segment,
    SurveyMailing,
)

__all__ = [
    "Answer",
    "Draft",
    "Participation",
    "QuestionnaireVersion",
    "Response",
    "ResultCell",
    "Segment",
    "SurveyIndexPage",
    "SurveyMailing",
    "SurveyPage",
]
