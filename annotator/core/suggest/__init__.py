"""Offline suggestions: dates with their ISO value, entities propagated from
an annotator's own work and from a gazetteer. Suggestions are never spans
until an annotator accepts them."""
