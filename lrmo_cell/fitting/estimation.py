"""Least squares in log space with confidence intervals: the estimator every fit here shares."""

from __future__ import annotations

import numpy as np


def fit_least_squares(
    residuals, x0, lower, upper, names, n_data, jac=None
) -> tuple[np.ndarray, dict]:
    """Fit ``log10`` parameters with :func:`scipy.optimize.least_squares` and return the best
    values and their 95% intervals.

    ``jac(x_log10)``, if given, returns the Jacobian of the residuals with respect to the log10
    parameters (e.g. from the solver's forward sensitivities); otherwise it is taken by finite
    differences. Intervals come from the Gauss-Newton covariance ``s**2 (J^T J)^-1`` in log10
    space with ``s**2 = SSR / (n - p)`` and Student-t quantiles (Bates & Watts, Nonlinear
    Regression Analysis, Wiley 1988, ch. 2), mapped back to linear space (hence asymmetric).
    Every parameter fitted counts, so a nuisance parameter (an initial state) widens the
    intervals of the others by its correlation with them. Parameters that the data do not
    determine (singular J^T J) get an infinite interval, not a small one.
    """
    from scipy import optimize

    sol = optimize.least_squares(
        residuals,
        np.log10(x0),
        jac="2-point" if jac is None else jac,
        bounds=(np.log10(lower), np.log10(upper)),
        x_scale=1.0 if jac is None else "jac",
        diff_step=1e-2,
    )
    return 10**sol.x, {**gauss_newton_ci(sol.x, sol.jac, sol.fun, names), "nfev": sol.nfev}


def gauss_newton_ci(x_log10, jac, residual, names) -> dict:
    """95% intervals (linear space) and residual RMS at a least-squares optimum ``x_log10`` from
    the Jacobian ``jac`` of the ``residual`` vector with respect to the log10 parameters (see
    :func:`fit_least_squares`)."""
    from scipy import stats

    residual, jac = np.asarray(residual, float), np.asarray(jac, float)
    n_data, dof = len(residual), max(len(residual) - len(x_log10), 1)
    s2 = float(residual @ residual) / dof
    try:
        cov = np.linalg.inv(jac.T @ jac) * s2
        half = stats.t.ppf(0.975, dof) * np.sqrt(np.clip(np.diag(cov), 0, None))
    except np.linalg.LinAlgError:
        half = np.full(len(x_log10), np.inf)
    # an undetermined parameter's interval runs to 0 and inf, with no overflow warning
    with np.errstate(over="ignore"):
        ci = {
            n: (float(np.power(10.0, x - h)), float(np.power(10.0, x + h)))
            for n, x, h in zip(names, x_log10, half, strict=True)
        }
    return {"ci95": ci, "rms": float(np.sqrt(s2 * dof / n_data))}
