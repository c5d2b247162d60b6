"""Keras model definitions."""
