def find_claims(lines):
    return []
