"""The sample corpus: five Arabic news articles, bytes exactly as received.

A package only so that the articles install with annotator (as
annotator.seeds) and are found by importlib.resources.
"""
