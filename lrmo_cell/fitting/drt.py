"""Distribution of relaxation times (DRT) from impedance spectra, peak assignment, and the
mapping of peaks to kinetic and transport parameters.

DRT: ``Z(f) = R_inf + integral gamma(tau) / (1 + j 2 pi f tau) d ln(tau)``, computed with
pyimpspec's TR-RBF method (Tikhonov regularisation on Gaussian radial basis functions; Wan et al.,
Electrochim. Acta 184 (2015) 483, doi:10.1016/j.electacta.2015.09.097). The regularisation
parameter lambda is chosen automatically by modified generalised cross-validation ("mgcv",
Maradesa et al., J. Electrochem. Soc. 170 (2023) 030502, doi:10.1149/1945-7111/acbca4): the
lambda in 1e-7..1 that minimises the modified GCV score, i.e. the best leave-one-out prediction
of the spectrum, with no user tuning (found by a global search, see ``pick_lambda``), and
pyimpspec's public ``calculate_drt`` solves at that lambda.

Peak assignment follows Sun et al. (EES 2025, doi:10.1039/d5ee00430f): time constants 1e-2 to 10 s
are charge transfer, 10 to 1e2 s solid-state diffusion (configurable via ``windows``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lrmo_cell.errors import InputError

GAS_CONSTANT_J_PER_MOL_K = 8.314462618
FARADAY_C_PER_MOL = 96485.33212
# first non-zero root of tan(y) = y: the slowest relaxation of spherical diffusion with a
# reflecting centre, tau_1 = R**2 / (y1**2 D) (Jacobsen & West, Electrochim. Acta 40 (1995) 255)
SPHERE_DIFFUSION_ROOT_SQUARED = 4.493409457909064**2

DEFAULT_WINDOWS_S = {"charge_transfer": (1e-2, 10.0), "diffusion": (10.0, 1e2)}
LAMBDA_BOUNDS = (1e-7, 1.0)  # the search interval of pyimpspec and pyDRTtools
# Gaussian RBFs of full width at half maximum SHAPE_COEFF x the mean spacing of ln(tau):
# pyimpspec's defaults (rbf_shape="fwhm", shape_coeff=0.5), passed to it explicitly below
SHAPE_COEFF = 0.5


def _discretisation(frequency_Hz: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The TR-RBF matrices of Wan et al. (2015) for ``calculate_drt``'s default set-up: Gaussian
    RBFs ``exp(-(eps (ln tau - ln tau_j))**2)`` centred on ``tau_j = 1/f_j``, a first column for
    R_inf, and the first-derivative penalty ``M``. Returns ``(A_re, A_im, M)``.

    pyimpspec keeps these private, so the score that picks lambda is built here; that they are
    the matrices ``calculate_drt`` solves with is checked in tests/test_fitting.py, by solving
    the same non-negative Tikhonov problem with them and comparing the fitted spectrum. On
    frequencies only nearly log-spaced (a measured spectrum) pyimpspec builds its matrices from
    their first row and column as if exactly log-spaced; these are exact, which moves the score
    by 1e-3 and lambda by 0.6% on tests/test_real_data.py's spectrum, its peak areas by ~0.05%."""
    ln_tau = np.log(1 / frequency_Hz)
    eps = SHAPE_COEFF * 2 * np.sqrt(np.log(2)) / np.mean(np.abs(np.diff(ln_tau)))
    # A_ij = int phi_j(y) / (1 + j w_i e^y) dy depends on u = ln(w_i tau_j) alone; with
    # y = ln tau_j + t / eps the Gaussian is exp(-t**2), negligible (< 1e-27) beyond |t| = 8;
    # the integrand is analytic within |Im t| < pi eps / 2, so the trapezoid rule's error falls
    # as exp(-pi**2 eps / h): < 1e-30 at h = 0.1 for eps > 0.7 (2 or more frequencies a decade)
    t = np.linspace(-8.0, 8.0, 161)
    u = np.log(2 * np.pi * frequency_Hz[:, None] * np.exp(ln_tau)[None, :])
    x = u[..., None] + t / eps
    weight = np.exp(-(t**2)) / eps
    a_re = np.trapezoid(weight / (1 + np.exp(2 * x)), t, axis=-1)
    a_im = -np.trapezoid(weight / (2 * np.cosh(x)), t, axis=-1)
    # int phi_i' phi_j' dy for Gaussians, a = eps (ln tau_i - ln tau_j)
    a = eps * (ln_tau[:, None] - ln_tau[None, :])
    penalty = eps * np.sqrt(np.pi / 2) * (1 - a**2) * np.exp(-(a**2) / 2)
    n = len(frequency_Hz)
    m = np.zeros((n + 1, n + 1))
    m[1:, 1:] = penalty
    ones, zeros = np.ones((n, 1)), np.zeros((n, 1))
    return np.hstack([ones, a_re]), np.hstack([zeros, a_im]), m


def _modified_gcv(ln_lambda, z, mu, av, v_az) -> float:
    """Modified generalised cross-validation score of Tikhonov regularisation (Maradesa et al.
    2023, eqs. 13-15; Kim & Gu 2004): the residual of the regularised least-squares fit over the
    squared trace of ``I - rho K``, ``K = A (A'A + lambda M)^-1 A'`` the influence matrix of the
    stacked real and imaginary parts ``z``; rho = 2 from 50 frequencies (100 stacked values), 1.3
    below. With ``V' A'A V = diag(mu)`` and ``V' M V = diag(1 - mu)`` (``pick_lambda``),
    ``(A'A + lambda M)^-1 = V diag(1 / (mu + lambda (1 - mu))) V'``: a score costs one
    matrix-vector product, ``av = A V``, ``v_az = V' A' z``."""
    n = len(z)
    d = mu + np.exp(ln_lambda) * (1 - mu)
    residual = z - av @ (v_az / d)
    rho = 2.0 if n >= 100 else 1.3
    return float((residual @ residual / n) / ((n - rho * np.sum(mu / d)) / n) ** 2)


def pick_lambda(frequency_Hz: np.ndarray, z: np.ndarray) -> float:
    """Lambda in ``LAMBDA_BOUNDS`` that minimises the modified GCV score. The score is smooth
    and one-dimensional but can have a shallow local minimum, so a log grid (8 points per
    decade) and a bounded refinement between the best point's neighbours find its global
    minimum; a gradient search from a start value can stall (the score is ~1e-7 on a
    milliohm spectrum) or overshoot to a bound."""
    from scipy.linalg import eigh
    from scipy.optimize import minimize_scalar

    a_re, a_im, m = _discretisation(frequency_Hz)
    a, stacked = np.vstack([a_re, a_im]), np.concatenate([z.real, z.imag])
    gram = a.T @ a
    # A'A + M is well conditioned (cond ~1e3): M penalises what the data leave undetermined
    mu, v = eigh(gram, gram + m)
    args = (stacked, mu, a @ v, v.T @ (a.T @ stacked))
    grid = np.linspace(*np.log(LAMBDA_BOUNDS), 57)
    best = int(np.argmin([_modified_gcv(x, *args) for x in grid]))
    refined = minimize_scalar(
        _modified_gcv,
        bounds=(grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]),
        args=args,
        method="bounded",
        options={"xatol": 1e-3},
    )
    return float(np.exp(refined.x))


def check_spectrum(frame: pd.DataFrame, drop_inductive_tail: bool = False, source="spectrum"):
    """Check both ends of a spectrum before a DRT, which represents only capacitive (RC)
    relaxations and so cannot reproduce a positive imaginary part.

    - High-frequency end: a run of points with ``z_imag_ohm > 0`` is the cell's and the leads'
      inductance, present in most measured spectra; it is removed (and counted), as equivalent-
      circuit fits usually do, because fitting it would pull R_inf low.
    - Low-frequency end: a positive imaginary part there means drift, a non-stationary cell or an
      inductive loop; fitting it silently would give wrong peaks. By default that is an error;
      with ``drop_inductive_tail=True`` the run is removed (and counted).

    Returns ``(frame, n_high, n_low)``: the kept points sorted from high to low frequency and
    the numbers removed at each end.
    """
    frame = frame.sort_values("frequency_Hz", ascending=False).reset_index(drop=True)
    positive = frame["z_imag_ohm"].to_numpy() > 0
    # lengths of the runs of positive values at the low- and high-frequency ends
    n_low = len(positive) if positive.all() else int(np.argmin(positive[::-1]))
    n_high = 0 if positive.all() else int(np.argmin(positive))
    if n_low and not drop_inductive_tail:
        f_hi = frame["frequency_Hz"].iloc[-n_low]
        raise InputError(
            f"{source}: z_imag_ohm is positive at the {n_low} lowest frequencies (<= {f_hi:.3g} "
            "Hz), which a DRT cannot represent; use --drop-inductive-tail to remove them."
        )
    kept = frame.iloc[n_high : len(frame) - n_low]
    if len(kept) < 5:
        raise InputError(
            f"{source}: fewer than 5 frequencies remain after removing the points with a "
            "positive imaginary part."
        )
    return kept.reset_index(drop=True), n_high, n_low


@dataclass
class DRT:
    """A DRT: time constants [s], gamma [Ohm], the fitted spectrum and the chosen lambda."""

    tau_s: np.ndarray
    gamma_ohm: np.ndarray
    frequency_Hz: np.ndarray
    z_measured: np.ndarray
    z_fitted: np.ndarray
    r_inf_ohm: float
    lambda_value: float
    inductive_points_dropped: int  # high-frequency points with Z'' > 0 left out


def compute_drt(frame: pd.DataFrame, drop_inductive_tail: bool = False, source="spectrum") -> DRT:
    """DRT of an impedance frame (frequency_Hz, z_real_ohm, z_imag_ohm) by TR-RBF with lambda
    chosen by modified GCV (see module docstring)."""
    from pyimpspec import DataSet
    from pyimpspec.analysis.drt import calculate_drt

    frame, n_inductive, _ = check_spectrum(frame, drop_inductive_tail, source)
    f = frame["frequency_Hz"].to_numpy()
    z = frame["z_real_ohm"].to_numpy() + 1j * frame["z_imag_ohm"].to_numpy()
    # the QP solver's tolerances are absolute: solve at |Z|max = 1 and scale back (the problem
    # is linear in Z, and the chosen lambda does not depend on the scale)
    scale = np.abs(z).max()
    result = calculate_drt(
        DataSet(frequencies=f, impedances=z / scale),
        method="tr-rbf",
        lambda_value=pick_lambda(f, z / scale),
        cross_validation="",
        rbf_type="gaussian",
        derivative_order=1,
        rbf_shape="fwhm",
        shape_coeff=SHAPE_COEFF,
        inductance=False,
        num_procs=1,
    )
    tau, gamma = result.get_drt_data()
    z_fit = result.get_impedances() * scale
    # R_inf: the high-frequency limit of the fitted spectrum minus what the DRT still contributes
    r_inf = float(np.real(z_fit[np.argmax(result.get_frequencies())]))
    return DRT(
        tau,
        gamma * scale,
        result.get_frequencies(),
        z,
        z_fit,
        r_inf,
        result.lambda_value,
        n_inductive,
    )


def find_peaks(
    drt: DRT, windows: dict[str, tuple[float, float]] | None = None, min_fraction: float = 0.02
) -> pd.DataFrame:
    """Peaks of gamma(ln tau), their resistance and their assignment by time constant.

    A peak is a local maximum above ``min_fraction`` of the largest gamma within the measured
    time constants, 1/(2 pi f_max)..1/(2 pi f_min) (scipy.signal): beyond them gamma stands in
    for behaviour the data do not resolve, such as the blocking capacitance of a finite particle
    at rest, which would otherwise dwarf every relaxation. Its resistance [Ohm] is the integral
    of gamma over ln(tau) between the minima on either side. ``windows`` maps a process name to
    its (tau_min, tau_max) [s]; a peak outside every window is "unassigned".
    """
    from scipy import integrate, signal

    windows = windows or DEFAULT_WINDOWS_S
    ln_tau, gamma = np.log(drt.tau_s), np.asarray(drt.gamma_ohm, float)
    f = np.asarray(drt.frequency_Hz, float)
    measured = (drt.tau_s >= 1 / (2 * np.pi * f.max())) & (drt.tau_s <= 1 / (2 * np.pi * f.min()))
    reference = gamma[measured].max() if measured.any() else gamma.max()
    idx, _ = signal.find_peaks(gamma, height=min_fraction * reference)
    minima = signal.find_peaks(-gamma)[0]
    rows = []
    for i in idx:
        left = minima[minima < i].max(initial=0)
        right = minima[minima > i].min(initial=len(gamma) - 1)
        area = integrate.trapezoid(gamma[left : right + 1], ln_tau[left : right + 1])
        tau = float(drt.tau_s[i])
        process = next((k for k, (lo, hi) in windows.items() if lo <= tau < hi), "unassigned")
        rows.append(
            {
                "tau_s": tau,
                "gamma_ohm": float(gamma[i]),
                "resistance_ohm": float(area),
                "process": process,
            }
        )
    return pd.DataFrame(rows, columns=["tau_s", "gamma_ohm", "resistance_ohm", "process"])


def exchange_current_density(r_ct_ohm, area_m2, temperature_K: float = 298.15):
    """Exchange-current density [A.m-2] from a charge-transfer resistance: linearised
    Butler-Volmer, ``i0 = R T / (F R_ct A)`` (Bard & Faulkner, Electrochemical Methods, 2nd ed.,
    eq. 3.4.11). ``area_m2`` is the electrochemically active area (for porous electrodes the
    particle surface ``3 eps_s / R_p * L * electrode area``, not the geometric area)."""
    return (
        GAS_CONSTANT_J_PER_MOL_K
        * temperature_K
        / (FARADAY_C_PER_MOL * np.asarray(r_ct_ohm, float) * area_m2)
    )


def diffusion_rate(tau_s):
    """``D / R**2`` [s-1] from the time constant of a spherical-diffusion DRT peak: the slowest
    mode of diffusion in a sphere relaxes with ``tau = R**2 / (y1**2 D)``, y1 = 4.4934 the first
    root of tan(y) = y (Jacobsen & West 1995). Multiply by R**2 for D. A regularised DRT merges
    that mode with the faster ones (y = 7.725, 10.904, ...) into one peak at a shorter tau, so
    this is an upper estimate, by up to (10.904 / 4.4934)**2 ~ 6 (tests/test_fitting.py: a
    factor 2.4 on the LRMO model's own impedance)."""
    return 1.0 / (SPHERE_DIFFUSION_ROOT_SQUARED * np.asarray(tau_s, float))


def analyse_spectra(
    spectra: dict,
    area_m2: float | None = None,
    temperature_K: float = 298.15,
    windows=None,
    drop_inductive_tail: bool = False,
) -> tuple[pd.DataFrame, dict]:
    """DRT and peak assignment for a set of spectra, e.g. per state of charge and direction.

    ``spectra`` maps a label tuple ``(state, direction)`` (e.g. ``(0.5, "charge")``) or any label
    to an impedance frame. Returns one row per label with the summed charge-transfer resistance,
    the exchange-current density (if ``area_m2`` is given), the diffusion time constant and
    ``D/R**2``, plus the DRTs by label. Charge and discharge stay separate rows: the study finds
    opposite Rct orderings on charge and discharge.
    """
    rows, drts = [], {}
    for label, frame in spectra.items():
        drt = compute_drt(frame, drop_inductive_tail, source=str(label))
        peaks = find_peaks(drt, windows)
        drts[label] = (drt, peaks)
        ct = peaks[peaks.process == "charge_transfer"]
        dif = peaks[peaks.process == "diffusion"]
        r_ct = ct.resistance_ohm.sum() if len(ct) else np.nan
        tau_d = dif.tau_s.iloc[dif.gamma_ohm.argmax()] if len(dif) else np.nan
        state, direction = label if isinstance(label, tuple) else (label, "")
        rows.append(
            {
                "state": state,
                "direction": direction,
                "r_inf_ohm": drt.r_inf_ohm,
                "r_ct_ohm": r_ct,
                "i0_A_per_m2": exchange_current_density(r_ct, area_m2, temperature_K)
                if area_m2
                else np.nan,
                "tau_diffusion_s": tau_d,
                "D_over_R2_per_s": diffusion_rate(tau_d),
                "lambda": drt.lambda_value,
            }
        )
    return pd.DataFrame(rows), drts


def model_impedance(model, parameter_values, frequencies_Hz, initial_soc: float | None = None):
    """Impedance of a PyBaMM model via ``pybamm.EISSimulation`` as a standard impedance frame,
    about the state the parameter values start from (or ``initial_soc``).

    The model needs a surface form ("differential") for EIS: the LRMO models have it; for
    PyBaMM's own pass e.g. ``{"working electrode": "positive", "surface form": "differential"}``.
    """
    import pybamm

    sim = pybamm.EISSimulation(model, parameter_values=parameter_values)
    z = np.asarray(sim.solve(frequencies_Hz, initial_soc=initial_soc).impedance)
    return pd.DataFrame(
        {"frequency_Hz": frequencies_Hz, "z_real_ohm": z.real, "z_imag_ohm": z.imag}
    )
