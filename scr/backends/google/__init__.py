"""Google Workspace backend: Forms for member input, Gmail for mail, Sheets for the roster and tracker.

Each module wraps one API behind the product's own nouns; ``errors.call`` runs every request and turns
Google's failures into ``GoogleError``s that say what to do, without response bodies or answer text.
"""
