from domain import vocabulary as vocab


def test_every_concern_synonym_names_a_concern_and_shadows_none():
    assert set(vocab.CONCERN_SYNONYMS.values()) <= set(vocab.CONCERN_KEYS)
    assert not set(vocab.CONCERN_SYNONYMS) & set(vocab.CONCERN_KEYS)
