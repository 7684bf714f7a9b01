"""Figures of the virtual lab: one function per experiment, each returning a
``matplotlib.figure.Figure`` (no pyplot state) with one column per run, side by side on shared
axes, and measured data over the model where given.

``runs`` maps a label (the sample) to the experiment's model frame; ``measured`` is the frame of
:class:`lrmo_cell.experiments.measured.Comparison` (drawn in the first column).
"""

from __future__ import annotations

from matplotlib.figure import Figure

MODEL = "tab:blue"
DATA = "0.25"


def _grid(runs: dict, rows: int, height: float = 3.4, sharey="row"):
    fig = Figure(figsize=(4.6 * len(runs) + 0.6, height * rows), layout="constrained")
    axes = fig.subplots(rows, len(runs), squeeze=False, sharex="row", sharey=sharey)
    for column, label in enumerate(runs):
        axes[0, column].set_title(str(label))
    for ax in axes.flat:
        ax.grid(alpha=0.3)
    return fig, axes


def _voltage_label(full_cell: bool) -> str:
    return "cell voltage [V]" if full_cell else "voltage vs Li/Li+ [V]"


def formation(runs: dict, measured=None, full_cell: bool = False) -> Figure:
    """First charge: voltage, and the O2 released from the lattice and escaped, against the
    specific charge."""
    fig, axes = _grid(runs, 2)
    for column, frame in enumerate(runs.values()):
        top, bottom = axes[0, column], axes[1, column]
        top.plot(frame["charge_mAh_per_g"], frame["voltage_V"], color=MODEL, label="model")
        bottom.plot(
            frame["charge_mAh_per_g"],
            frame["o2_released_umol_per_g"],
            color="tab:red",
            label="O2 released from the lattice",
        )
        bottom.plot(
            frame["charge_mAh_per_g"],
            frame["o2_escaped_umol_per_g"],
            color="tab:red",
            ls="--",
            label="O2 escaped (gas)",
        )
        for ax in (top, bottom):
            ax.set_xlabel("specific charge [mAh/g]")
    if measured is not None:
        axes[0, 0].plot(
            measured["charge_mAh_per_g"],
            measured["voltage_V"],
            ".",
            ms=2,
            color=DATA,
            label="measured",
        )
    axes[0, 0].set_ylabel(_voltage_label(full_cell))
    axes[1, 0].set_ylabel("cumulative O2 [µmol/g]")
    axes[0, 0].legend()
    axes[1, 0].legend(fontsize=8)
    fig.suptitle("First charge")
    return fig


def rate(runs: dict, measured=None) -> Figure:
    """Discharge capacity and mean discharge voltage against C-rate."""
    fig, axes = _grid(runs, 2, height=3.0)
    for column, frame in enumerate(runs.values()):
        for row, name in enumerate(("discharge_capacity_mAh_per_g", "mean_discharge_voltage_V")):
            axes[row, column].semilogx(
                frame["c_rate"], frame[name], "o-", color=MODEL, label="model"
            )
        axes[1, column].set_xlabel("C-rate")
        for row in (0, 1):
            axes[row, column].set_xticks(frame["c_rate"], [f"{r:g}" for r in frame["c_rate"]])
            axes[row, column].minorticks_off()
    if measured is not None:
        for row, name in enumerate(("discharge_capacity_mAh_per_g", "mean_discharge_voltage_V")):
            axes[row, 0].semilogx(
                measured["c_rate"], measured[name], "s", mfc="none", color=DATA, label="measured"
            )
    axes[0, 0].set_ylabel("discharge capacity [mAh/g]")
    axes[1, 0].set_ylabel("mean discharge voltage [V]")
    axes[0, 0].legend()
    fig.suptitle("Rate test (after a formation cycle)")
    return fig


def voltammogram(runs: dict, peaks: dict, measured=None, full_cell: bool = False) -> Figure:
    """Current against voltage per cycle, peaks marked."""
    fig, axes = _grid(runs, 1, height=4.0)
    for column, (label, frame) in enumerate(runs.items()):
        ax = axes[0, column]
        for number, cycle in frame.groupby("cycle"):
            ax.plot(
                cycle["voltage_V"],
                cycle["current_mA_per_g"],
                lw=1.2,
                label=f"model, cycle {number}",
            )
        found = peaks[label]
        ax.plot(found["voltage_V"], found["current_mA_per_g"], "kv", ms=5, label="peaks")
        ax.axhline(0, color="0.5", lw=0.6)
        ax.set_xlabel(_voltage_label(full_cell))
    if measured is not None:
        axes[0, 0].plot(
            measured["voltage_V"],
            measured["current_mA_per_g"],
            ".",
            ms=1.5,
            color=DATA,
            label="measured",
        )
    axes[0, 0].set_ylabel("current [mA/g] (anodic > 0)")
    axes[0, 0].legend(fontsize=8)
    fig.suptitle("Cyclic voltammetry")
    return fig


def titration(runs: dict, tables: dict | None, measured=None, full_cell: bool = False) -> Figure:
    """GITT voltage against time and, with ``tables`` (per run, of ``gitt_table``), the
    Weppner-Huggins diffusivity and overpotential of each pulse against its relaxed voltage."""
    fig, axes = _grid(runs, 1 if tables is None else 3, height=2.9, sharey=False)
    for column, (label, frame) in enumerate(runs.items()):
        axes[0, column].plot(
            frame["time_s"] / 3600, frame["voltage_V"], color=MODEL, lw=0.8, label="model"
        )
        axes[0, column].set_xlabel("time [h]")
        if tables is None:
            continue
        table = tables[label]
        axes[1, column].semilogy(
            table["voltage_V"], table["diffusivity_m2_per_s"], "o", ms=3, color=MODEL
        )
        axes[2, column].plot(
            table["voltage_V"], 1000 * table["overpotential_V"], "o", ms=3, color=MODEL
        )
        axes[2, column].set_xlabel("relaxed voltage after the pulse [V]")
    if measured is not None:
        axes[0, 0].plot(
            measured["time_s"] / 3600,
            measured["voltage_V"],
            ".",
            ms=1.5,
            color=DATA,
            label="measured",
        )
    axes[0, 0].set_ylabel(_voltage_label(full_cell))
    if tables is not None:
        axes[1, 0].set_ylabel("Weppner-Huggins D [m²/s]")
        axes[2, 0].set_ylabel("overpotential [mV]")
    axes[0, 0].legend()
    fig.suptitle("GITT")
    return fig


def spectra(runs: dict, drt: dict | None = None, measured=None) -> Figure:
    """Nyquist plot of each state's spectrum and, with ``drt`` (peaks per run), the
    charge-transfer resistance per state; the study's windows assign the peaks."""
    rows = 1 if drt is None else 2
    fig, axes = _grid(runs, rows, height=3.8, sharey=False)
    for column, (label, frame) in enumerate(runs.items()):
        ax = axes[0, column]
        for (voltage, direction), spectrum in frame.groupby(["voltage_V", "direction"], sort=False):
            ax.plot(
                spectrum["z_real_ohm"],
                -spectrum["z_imag_ohm"],
                lw=1.2,
                label=f"{direction} {voltage:g} V",
            )
        ax.set_xlabel("Z' [Ω]")
        ax.set_xscale("log")
        ax.set_yscale("log")
        if drt is not None:
            peaks = drt[label]
            bottom = axes[1, column]
            for process, marker in (("charge_transfer", "o"), ("diffusion", "s")):
                chosen = peaks[peaks["process"] == process]
                for direction, group in chosen.groupby("direction", sort=False):
                    total = group.groupby("voltage_V", sort=False)["resistance_ohm"].sum()
                    bottom.semilogy(
                        total.index,
                        total.values,
                        marker,
                        ls="-",
                        ms=4,
                        label=f"{process.replace('_', ' ')}, {direction}",
                    )
            bottom.set_xlabel("voltage of the state on the charge or discharge [V]")
    if measured is not None:
        axes[0, 0].plot(
            measured["z_real_ohm"], -measured["z_imag_ohm"], ".", ms=3, color=DATA, label="measured"
        )
    axes[0, 0].set_ylabel("-Z'' [Ω] (log-log Nyquist)")
    axes[0, 0].legend(fontsize=7)
    if drt is not None:
        axes[1, 0].set_ylabel("DRT peak resistance [Ω]\n(0.01-10 s, 10-100 s)")
        axes[1, 0].legend(fontsize=7)
    fig.suptitle("Impedance" if drt is None else "Impedance and DRT")
    return fig


def cycling(runs: dict, measured=None) -> Figure:
    """Discharge capacity and Coulombic efficiency against cycle."""
    fig, axes = _grid(runs, 2, height=3.0)
    for column, frame in enumerate(runs.values()):
        axes[0, column].plot(
            frame["cycle"], frame["discharge_capacity_mAh_per_g"], color=MODEL, label="model"
        )
        axes[1, column].plot(frame["cycle"], frame["coulombic_efficiency"], color=MODEL)
        axes[1, column].set_xlabel("cycle")
    if measured is not None:
        axes[0, 0].plot(
            measured["cycle"],
            measured["discharge_capacity_mAh_per_g"],
            "s",
            mfc="none",
            ms=3,
            color=DATA,
            label="measured",
        )
    axes[0, 0].set_ylabel("discharge capacity [mAh/g]")
    axes[1, 0].set_ylabel("Coulombic efficiency")
    axes[0, 0].legend()
    fig.suptitle("Cycling (0.1C formation first)")
    return fig
