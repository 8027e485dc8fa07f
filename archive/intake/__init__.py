"""Intake: a case draft from its sources, every suggestion with the sentence it came from.

One module per step: ``fetch`` (URLs, files, standard input), ``extract`` (main text,
metadata, language), ``dates``, ``keywords``, ``quotes``, ``learned`` (the model learned
from the archive's cases), ``draft`` (the suggestions put together), ``render`` (the draft
as a case file) and ``evaluate`` (leave-one-out figures).
"""
