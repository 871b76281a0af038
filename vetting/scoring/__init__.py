"""Rubric scoring of interview answers: an offline model trained on human grades, an LLM judge, verified quotes."""
