"""Reading an intake: bounded readers (:mod:`.read`), the description (:mod:`.meta`), the answers
(:mod:`.answers`), direct identifiers and small cells (:mod:`.privacy`), the derived variables of
the processed file (:mod:`.derive`) and a publication's files (:mod:`.publication`).

Every problem is collected and reported at once, one line each, naming the file, the
spreadsheet row (the header is row 1), the column (its letter, code and Dutch question), the
value where it may be shown, what was expected and what to do, in the language validation runs
in (:mod:`.problems`); the table and its columns are read by :mod:`.columns`.
"""
from .folder import Intake, read_intake
from .problems import IntakeError, Problem

__all__ = ["Intake", "IntakeError", "Problem", "read_intake"]
