"""Qt-free core: text handling, the project store, formats and agreement.

Nothing under this package may import Qt (checked by import-linter and by
tests/core/test_no_qt.py).
"""
