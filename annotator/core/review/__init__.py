"""Several annotators: merging copies, agreement figures, adjudication into gold."""
