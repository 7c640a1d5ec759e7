"""A Snowball stemmer keeps the word it is stemming in itself: threads of one server
process (gunicorn's gthread workers) stemming at once must not share one. A load test
found a search answered with a 500 (IndexError inside the Portuguese stemmer) when they
did."""

import random
import string
import sys
import threading

import snowballstemmer

from resources.search.fts_words import STEMMERS, stem


def test_threads_stemming_at_once_get_each_word_s_own_stem():
    rng = random.Random(3)
    words = {
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 14))) + suffix
        for _ in range(6000)
        for suffix in [rng.choice(["ção", "mente", "idades", "ización", "ements", "ing"])]
    }
    asked = [(word, language) for word in sorted(words) for language in STEMMERS]
    expected = {
        (word, language): snowballstemmer.stemmer(STEMMERS[language]).stemWord(word)
        for word, language in asked
    }
    failures = []

    def work(share):
        try:
            for word, language in share:
                if stem(word, language) != expected[word, language]:
                    failures.append((word, language))
        except Exception as error:  # the shared stemmer's IndexError, among others
            failures.append(repr(error))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as they can be switched
    try:
        threads = [threading.Thread(target=work, args=(asked[n::6],)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not failures, failures[:5]
