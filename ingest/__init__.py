"""Ingestion: load → sanitise → chunk → embed → store, one module per step."""
