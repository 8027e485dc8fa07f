"""Streamlit pages: thin views over the library (no search logic here)."""
