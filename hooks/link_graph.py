"""Placeholder until this concern lands."""
