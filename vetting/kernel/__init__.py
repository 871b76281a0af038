"""The kernel at the bottom: domain types, errors, settings, YAML banks, quote, PII and text utilities."""
