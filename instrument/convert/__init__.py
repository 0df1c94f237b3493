"""Import converters: SurveyJS surveys into `repp-instrument/1` documents.

Each converter returns a `Conversion` (the document and one warning per element it dropped or
changed) or raises `ConversionError` when the source cannot be read at all.
"""

from instrument.convert.base import Conversion, ConversionError
from instrument.convert.surveyjs import convert_survey, from_surveyjs

__all__ = ["Conversion", "ConversionError", "convert_survey", "from_surveyjs"]
