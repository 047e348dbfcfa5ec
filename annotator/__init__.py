"""Desktop annotation tool for right-to-left Arabic text."""

__version__ = "0.1.0"
