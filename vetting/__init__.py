"""RAG interview and vetting assistant: the core services, free of any UI."""

__version__ = "0.1.0"
