"""Search and ranking."""
