"""Search: why a course was found (``matchedOn``) and HR's synonyms."""
