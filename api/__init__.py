"""Entry points: the command line (:mod:`api.cli`) and the HTTP service (:mod:`api.http.app`,
``dichtbij serve``)."""

__all__: list[str] = []
