"""The LP kept alive between rounds gives the same optimum and valid duals as a fresh
solve, however its columns and rows were added."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from solver.backends import LpSession
from solver.relaxation import RowSet, lagrangian


def _fresh_value(c: np.ndarray, a: sp.csr_matrix, b: np.ndarray) -> float:
    res = linprog(-c, A_ub=a.toarray(), b_ub=b, bounds=(0, 1), method="highs")
    assert res.status == 0
    return float(-res.fun)


def test_an_lp_grown_column_by_column_and_row_by_row_reaches_the_fresh_optimum() -> None:
    rng = np.random.default_rng(7)
    for _ in range(25):
        n, m, k = 30, 8, 4
        c = rng.integers(1, 100, n).astype(np.float64)
        a = sp.random(m + k, n, density=0.3, random_state=rng, format="csr")
        a.data = rng.integers(1, 4, a.data.size).astype(np.float64)
        b = rng.integers(1, 5, m + k).astype(np.float64)
        session = LpSession(c, a[:m], b[:m])
        order = rng.permutation(n)
        session.add_columns(order[: n // 2])
        assert session.solve(None).ok
        session.add_rows(a[m:], b[m:])
        session.add_columns(order[n // 2 :])
        lp = session.solve(None)
        assert lp.ok
        assert abs(lp.value - _fresh_value(c, a, b)) < 1e-6
        x = np.zeros(n)
        x[session.columns] = lp.x
        assert (a @ x <= b + 1e-7).all()
        # The duals prove the value: their Lagrangian bound is the optimum itself.
        bound, _ = lagrangian(c, RowSet(a, b), lp.duals)
        assert abs(bound - lp.value) < 1e-6
