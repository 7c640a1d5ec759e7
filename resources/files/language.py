"""The language a document's text is written in, among the library's languages, from its
words (py3langid's model, which ships in the package). Too little text, or text in none
of those languages, gives no answer rather than a guess."""

from functools import cache

# At least this much text, or the answer is not worth giving.
MIN_CHARACTERS = 40
# Enough text to decide; the rest only costs time.
SAMPLE_CHARACTERS = 20_000
# The normalised probability under which the answer is left to the person.
MIN_CONFIDENCE = 0.8


@cache
def _identifier(languages):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(languages))
    return identifier


def detect_language(text, languages):
    """The code among languages (ISO 639-1 codes) text is written in, or ""."""
    sample = " ".join((text or "")[:SAMPLE_CHARACTERS].split())
    if len(sample) < MIN_CHARACTERS:
        return ""
    code, confidence = _identifier(tuple(sorted(languages))).classify(sample)
    return code if confidence >= MIN_CONFIDENCE else ""
