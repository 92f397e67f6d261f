"""Sentences for the report, generated from each run's data so that they stay true for a new
intake, one module per chapter. Each function returns Markdown in the current report language
(:mod:`analysis_utils.i18n`); numbers come from the tables it is given, words from
:mod:`analysis_utils.present.labels`."""
