"""Import converters: SurveyJS surveys and XLSForm workbooks into `repp-instrument/1` documents.

Each converter returns a `Conversion` (the document and one warning per element it dropped or
changed) or raises `ConversionError` when the source cannot be read at all. `from_surveyjs` and
`from_xlsform` read a file; `convert_survey` and `convert_workbook` convert data already parsed.
"""

from instrument.convert.base import Conversion, ConversionError
from instrument.convert.surveyjs import convert_survey, from_surveyjs
from instrument.convert.xlsform import convert_workbook, from_xlsform, read_workbook

__all__ = [
    "Conversion",
    "ConversionError",
    "convert_survey",
    "convert_workbook",
    "from_surveyjs",
    "from_xlsform",
    "read_workbook",
]
