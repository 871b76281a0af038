"""Evaluation harness: retrieval, plan grounding, grading agreement and fairness, rendered into offline reports."""
