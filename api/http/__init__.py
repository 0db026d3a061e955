"""The HTTP layer: the FastAPI application, its dependencies, middleware, problem responses,
routes and the OpenAPI document. Routes call :mod:`api.services`; nothing here holds a rule."""
