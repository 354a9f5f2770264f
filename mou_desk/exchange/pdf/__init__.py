"""PDF output: the fonts and mixed-script text that every report is set in.

Reports mix English, Hindi (Devanagari, which must be shaped so conjuncts such as प्र and
क्ष form) and Japanese partner names (which must stay searchable: 株式会社, never ㍿).
``fonts`` finds and registers the bundled fonts; ``text`` turns plain strings into
paragraphs and canvas lines that switch font per script. Build documents and canvases
with ``invariant=True`` so the same data always gives the same bytes.
"""
