"""Training-data exports and annotation imports (DESIGN §6).

Entry points: ``exports.dispatch.export_project`` and
``imports.dispatch.import_annotations``. One module per format here
(own_jsonl, doccano, labelstudio, brat, conll, hf_rows, spacy_docbin), each
reading and writing its format; ``tokens`` tokenises Arabic for the token
formats and ``textmap`` maps other tools' offsets to ours. ``imports`` holds
what every import shares (reading files, JSON with limits, offset-unit
detection, plain-text documents, checking and writing in one transaction);
``exports`` what every export shares (what an export holds, atomic output,
the line saying what a format cannot carry).
"""
