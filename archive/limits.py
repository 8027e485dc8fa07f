"""The limits that keep any query cheap, whatever is typed (see SECURITY.md): the query
parser (``archive.search.query_text``) trims the text, and each engine's matcher refuses a query
whose wildcards, prefixes and ranges stand for too many words (``QueryTooBroad``)."""

# A 1,000-character query is about 150 words, far beyond what people type; past it the
# parser's cost grows faster than the text (a range opened many times is quadratic).
MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 64
# Index words the wildcards, prefixes and ranges of one query may stand for (over all
# fields); more is not a question anybody asks of an archive ("a*") and would read every
# posting list.
MAX_EXPANSIONS = 1000
# Distinct wildcards, prefixes and ranges in one query: each reads the field's word list.
MAX_PATTERNS = 4
# A wildcard longer than any word, or with more wildcard characters, makes the pattern
# matcher backtrack over every word of the archive.
MAX_PATTERN_CHARS = 40
MAX_PATTERN_WILDCARDS = 4
