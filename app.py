"""Streamlit entry point: navigation over the pages in `ui/pages`."""

import streamlit as st

st.set_page_config(page_title="Vetting assistant", page_icon="🧭", layout="wide")
st.title("Vetting assistant")
st.write("Upload candidate documents with `vet ingest`; the full app is on its way.")
