"""Dialogues (built in the programme issue)."""
