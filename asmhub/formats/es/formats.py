# Spanish as the programme's Spanish-speaking countries print figures: 1.234.567,5
# (Django's default is a non-breaking space between thousands).
THOUSAND_SEPARATOR = "."
