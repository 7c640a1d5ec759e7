# Swahili as Tanzania and Kenya print figures: 1,234,567.5 (Django has no Swahili
# formats, and without them it would not group thousands at all).
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
