"""Shops, listings, stock and the seller centre."""
