"""Learning groups and National ASM Outlooks (built in the programme issue)."""
