"""jixiao pipeline stages: ingest -> parse -> normalize -> write -> validate -> summarize.

Each stage is a plain function over plain data; ``python -m pipeline`` is a thin CLI over them.
"""
