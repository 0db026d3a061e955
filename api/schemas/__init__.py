"""Request and response bodies of the HTTP API: per resource ``XCreate``/``XUpdate``/``XPublic``.

Request bodies for homes and children are the scenario objects of ``matching.scenario``, so
the file format and the API validate with one set of rules.
"""
