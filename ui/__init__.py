"""The Streamlit app: pages, shared widgets, session keys and cached resources (the only UI code)."""
