"""Characters, words and offsets: decoding, code point <-> UTF-16, Arabic
segmentation, span boundaries, folding search, interval index, terminal bidi."""
