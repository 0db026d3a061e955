"""The service layer: use cases that take plain values and a unit of work.

Each function opens its own transaction(s), checks who may do what, calls the engine where
a placement rule is involved, and raises a named exception from :mod:`api.services.errors`
when a request cannot be served. Nothing here knows about HTTP.
"""
