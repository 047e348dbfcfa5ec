"""Training-data exports and annotation imports (DESIGN §6, issue 4).

Entry points: ``exporting.export_project`` and ``loading.import_annotations``.
One module per format (own_jsonl, doccano, labelstudio, brat, conll,
hf_rows, spacy_docbin); ``selection`` chooses what an export holds,
``output`` writes atomically, ``tokens`` tokenises Arabic for the token
formats, ``textmap`` maps other tools' offsets to ours, ``importer`` checks
and writes an import in one transaction.
"""
