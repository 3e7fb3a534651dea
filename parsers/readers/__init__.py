"""Readers: one per input format or text style; each turns a file (bytes or text) into blocks
(``parsers.blocks``) and never writes files."""
