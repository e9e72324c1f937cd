"""Google Workspace backend: Forms for member input, each lead reviewer's own copy of the summary in Docs,
Gmail for mail, Sheets for the roster and tracker.

Each module wraps one API behind the product's own nouns; ``errors`` is the one gateway: ``call`` and
``retrying`` run every request under one retry policy and turn Google's failures into ``GoogleError``s that say
what to do, without response bodies or answer text.
"""
