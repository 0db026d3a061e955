"""Settings for the whole suite."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# No property test has a deadline: machines here are shared and noisy, so a per-example
# time limit is a timed assertion that fails under load (speed is measured in benchmarks/).
settings.register_profile("dichtbij", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dichtbij")
