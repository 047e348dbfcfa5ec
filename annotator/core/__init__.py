"""Qt-free core, grouped by purpose: text (characters, words, offsets), store
(the SQLite project), review (merge, agreement, adjudication), formats
(imports and exports), suggest (offline suggestions), workflow (the
annotator's rules).

Nothing under this package may import Qt (checked by import-linter and by
tests/core/test_no_qt.py).
"""
