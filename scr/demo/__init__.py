"""The demo: the example board commissions a review, with simulated people using the real web links."""
