"""Reading other tools' files (and ours) into a project: parse, check, apply."""
