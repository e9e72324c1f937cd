"""The steps of the commissioning workflow. Each takes a ``Backend`` and a review id; no Prefect here."""
