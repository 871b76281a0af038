"""One module per page of the app; each is a script run by `st.navigation`."""
