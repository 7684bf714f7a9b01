"""Least squares in log space with confidence intervals: the estimator every fit here shares."""

from __future__ import annotations

import numpy as np


def fit_least_squares(residuals, x0, lower, upper, names, n_data) -> tuple[np.ndarray, dict]:
    """Fit ``log10`` parameters with :func:`scipy.optimize.least_squares` and return the best
    values and their 95% intervals.

    Intervals come from the Gauss-Newton covariance ``s**2 (J^T J)^-1`` in log10 space with
    ``s**2 = SSR / (n - p)`` and Student-t quantiles (Bates & Watts, Nonlinear Regression
    Analysis, Wiley 1988, ch. 2), mapped back to linear space (hence asymmetric). Parameters that
    the data do not determine (singular J^T J) get an infinite interval, not a small one.
    """
    from scipy import optimize, stats

    sol = optimize.least_squares(
        residuals,
        np.log10(x0),
        bounds=(np.log10(lower), np.log10(upper)),
        x_scale=1.0,
        diff_step=1e-2,
    )
    dof = max(n_data - len(x0), 1)
    s2 = 2 * sol.cost / dof
    jtj = sol.jac.T @ sol.jac
    try:
        cov = np.linalg.inv(jtj) * s2
        half = stats.t.ppf(0.975, dof) * np.sqrt(np.clip(np.diag(cov), 0, None))
    except np.linalg.LinAlgError:
        half = np.full(len(x0), np.inf)
    ci = {
        n: (float(10 ** (x - h)), float(10 ** (x + h)))
        for n, x, h in zip(names, sol.x, half, strict=True)
    }
    return 10**sol.x, {"ci95": ci, "rms": float(np.sqrt(s2 * dof / n_data))}
