"""Readers (one per input format or text style) and form recognizers (one per template family).

Readers turn a file's text or bytes into blocks (see ``parsers.blocks``); recognizers turn
blocks into plain form records with provenance. Nothing here writes files.
"""
