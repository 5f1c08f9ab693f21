"""Scoring models on the wmbench tasks through lm-evaluation-harness.

``data_source`` resolves task metadata to documents, ``scoring`` turns responses into verdicts
and metrics, ``replay`` is the saved-responses model, ``runner`` wraps ``simple_evaluate``.
"""
