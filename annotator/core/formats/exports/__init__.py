"""Writing a project out: what an export holds, every format, atomic output."""
