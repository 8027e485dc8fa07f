"""The fixed choices the command line and the app offer, in a module that imports nothing:
the command line builds its options from them without loading the stages behind them.

Example::

    >>> "date" in SORTS, BRIEF_FORMATS[0]
    (True, 'md')
"""

SORTS = ("relevance", "date", "date-asc", "title")  # the orders of search results
BRIEF_FORMATS = ("md", "pptx", "docx")  # the files a precedent brief is written as
