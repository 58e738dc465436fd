"""Ratings and credit grades."""
