"""The tantivy engine (Rust, through the ``tantivy`` package): its schema and writers
(``store``) and its view of an index state (``snapshot``). Text is analysed in Python with
the shared analysers and indexed as its words, so both engines hold the same words."""
