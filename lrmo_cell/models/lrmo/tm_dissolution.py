"""Mechanism: transition-metal (TM) dissolution at high potential, its crossover to the graphite
and the SEI growth that the deposited Mn catalyses (full cells only).

Dissolution. Above about 4.6 V vs Li layered oxides lose TMs to the electrolyte: in NMC622 ||
graphite cells "transition metals dissolve nearly stoichiometrically at potentials >4.6 V" (Jung
R. et al. (Gasteiger group), "Nickel, Manganese, and Cobalt Dissolution from Ni-Rich NMC and
Their Effects on NMC622-Graphite Cells", J. Electrochem. Soc. 166 (2019) A378; abstract seen,
volume and page from the brief, not verified). The route is acid attack by the products of the
electrolyte's oxidation (a LiPF6-mediated decomposition at high cell voltage "drastically
increases acidity of the electrolyte and dissolution of the active materials", Paul Scherrer
Institut OEMS abstract, IMLB 2016 paper 74629, ecs.confex.com), so the rate is written like
``electrolyte_oxidation``'s, a Tafel law in decades per electrode volume, referred to the 4.6 V
onset:

    r_d = k_d c_TM 10^((dphi - 4.6 V) / b_d)       [mol TM.m-3.s-1],

dphi the surface potential difference (the electrode's potential vs Li), k_d the share of the
hosts' TMs that dissolves per second at 4.6 V [s-1], c_TM the hosts' TMs per electrode volume
(TMs per lattice O x lattice O concentration x the hosts' volume fractions) and b_d the
potential per decade. The TMs leave in the host's own ratio (Jung 2019), so the Mn
share of what dissolves is the host's, Mn / (Mn + Ni + Co) = 0.555 / 0.793 = 0.70 for
Li1.20Mn0.555Ni0.158Co0.080O2. At 4.2 V, 0.4 V below the onset, r_d is 10^(-0.4 / b_d) of its
4.6 V value (2e-3 for b_d = 0.15 V).

Stoichiometry and what the host keeps. A dissolved TM is debited from the host's TM inventory
(``DISSOLVED``, mol per m3 of electrode). Its Li sites are not removed (no loss of active
material) and the host keeps its Li: the amount is of order 1e-3 of the host's TMs after
hundreds of cycles (this set: 0.08 % after 450 C/3 cycles), so the volume it frees is a 1e-3
change of the hosts' capacity, below what the model's other losses resolve, and its Li and
lattice O stay counted with the host (the O and Li inventories stay closed either way). The
electrons that reduce the lattice's Mn4+ to soluble Mn2+ come from the electrolyte's oxidation
(acid route), not from the external circuit: dissolution carries no current.

Crossover and deposition. Dissolved TM (mol, ``IN_ELECTROLYTE``) crosses to the graphite and is
taken up by its SEI at the first-order rate k_dep. Deposited Mn is Mn2+ held in the SEI by
exchange with its Li salts, not metallic Mn (Zhan C. et al., Nat. Commun. 4 (2013) 2437,
doi:10.1038/ncomms3437: "the oxidation state of manganese deposited on the anodes is +2 ... a
metathesis reaction between Mn(II) and some species on the solid-electrolyte interphase ...
rather than a reduction reaction"; Shkrob I.A., ..., Abraham D.P., "Manganese in Graphite Anode
and Capacity Fade in Li Ion Batteries", J. Phys. Chem. C (2014), abstract, volume and page not
verified: on delithiated graphite Mn is dispersed Mn2+ in the inner SEI, on lithiated graphite
it is reduced). So deposition carries no current either; the two Li+ the exchange frees stay in
the electrolyte and remain cyclable (the model's single-cation electrolyte does not track the
Mn2+ in transit, which is 1e-5 of its Li+). k_dep = D / L^2 with L the separator and graphite
(~50 um) and D ~ 3e-10 m2/s for a solvated Mn2+ (assumed, the order of the electrolyte's salt
diffusivity, no tortuosity factor): k_dep ~ 0.1 s-1, fast next to dissolution, so nearly all
of the dissolved TM sits on the graphite.

Catalysed SEI. Deposited Mn makes the graphite's SEI grow: the loss of cyclable Li in the SEI is
the aging mechanism of dissolved Ni, Mn and Co alike, larger with Mn (Jung 2019), and the Li
lost far exceeds the two Li a Mn2+/Li+ exchange would take (Tsunekawa H. et al., J. Electrochem.
Soc. 149 (2002) A1326, doi:10.1149/1.1502686: "capacity losses estimated from quantities of Mn
deposition on the graphite, assuming a Mn2+-Li+ exchange process, appear negligible when
compared with the experimental findings"). The turnover
is linear in time at a like lithiation, so with a deposit that grows linearly the Li lost grows
quadratically with the cycle number. Each deposited Mn therefore turns over electrolyte reduction
catalytically, using the electrons of the lithiated graphite (Shkrob 2014: reduced only there):

    dn_Li/dt = k_cat x_n f_Mn N_dep                 [mol Li.s-1],
    a j_cat = -F (dn_Li/dt) / (L_n A)               [A.m-3],

N_dep the deposited TM [mol], f_Mn its Mn share, x_n the graphite's X-averaged surface
stoichiometry (no electrons to give at x_n = 0, so an empty graphite grows no catalysed SEI) and
k_cat the turnover per Mn at full lithiation. One Li+ and one electron per Li lost, spread
uniformly over the graphite (``uniform_negative_reaction``).

One film. What the Mn catalyses is the graphite's SEI (Zhan 2013, Shkrob 2014: the Mn sits in
it), so its current is added to the current of PyBaMM's SEI growth (``MnCatalysedSEIGrowth``):
the catalysed products thicken the one SEI film, whose resistance the graphite's reaction then
sees through PyBaMM's "SEI film resistance" option (the SEI resistance rises with the dissolved
TM: Joshi T. et al., J. Electrochem. Soc. 161 (2014) A1915, doi:10.1149/2.0861412jes), through
which the solvent of a diffusion-limited SEI must also pass, and whose Li is PyBaMM's own "Loss
of lithium to negative SEI [mol]" (so its capacity, LLI and summary variables include it).
``LOST`` integrates the catalysed part alone, as a record of the split. Two assumptions stand
behind this, neither measured for this cell:

- the catalysed rate does not depend on the film's thickness, while the uncatalysed
  solvent-limited growth (rate ~ 1/L) slows as the film thickens. That is the reading in which
  the Mn makes the film conduct electrons, so that the solvent is reduced where it meets the
  film, and what it leaves adds to the barrier of the uncatalysed inner growth (the sources
  place the Mn in the inner SEI, but say nothing of where the solvent it catalyses is reduced;
  a catalyst cannot speed a growth that is strictly limited by the solvent's diffusion);
- the products have the solvent SEI's partial molar volume and resistivity (the set's
  OKane2022 values, 9.6e-5 m3 per mol Li and 2e5 ohm m: 5-10 times the volume per Li of LiF or
  Li2CO3). Joshi 2014 supports the direction, a resistance rising with the TM, not its size.

Ni and Co deposit with the Mn but are given no catalytic activity (Jung 2019: Mn is the most
active; a lower bound).

Which numbers are measured: only the 4.6 V onset and the stoichiometric TM ratio (Jung 2019) and
the composition. k_d, b_d and k_cat are assumed (their sources in the parameter set say how);
none is fitted to a calibration row.

The mechanism needs a growing SEI: in a full cell it is the default when PyBaMM's "SEI" option
is a growth model, and "none" with "SEI" "none" or "constant", where it is refused.

Half cells: the option must be "none" (its default there). A Li metal counter electrode has no
graphite SEI for the Mn to catalyse, and the dissolution's own effect on a half cell is the 1e-3
of TM above, so the half-cell sets and their calibration rows are untouched.
"""

from __future__ import annotations

import pybamm

from .base import PositiveSubModel
from .electrode import uniform_negative_reaction

F = pybamm.constants.F
ONSET_V = 4.6
DISSOLVED = "dissolved TM [mol.m-3]"
RATE = "TM dissolution rate [mol.m-3.s-1]"
TOTAL_RATE = "TM dissolution rate [mol.s-1]"
TOTAL_DISSOLVED = "TM dissolved from positive electrode [mol]"
IN_ELECTROLYTE = "TM in electrolyte [mol]"
DEPOSITED = "TM deposited on negative electrode [mol]"
LOST = "Loss of lithium to Mn-catalysed SEI [mol]"  # part of the negative SEI's loss
REACTION = "Mn-catalysed SEI"
# scales: ~20 mol.m-3 of electrode dissolved, ~1e-8 mol in a coin-size cell, ~1e-6 mol Li lost
DISSOLVED_SCALE, TM_SCALE, LI_SCALE = 10.0, 1e-8, 1e-6


class TMDissolution(PositiveSubModel):
    """Tafel-law TM dissolution from the positive electrode's hosts above 4.6 V."""

    def get_fundamental_variables(self):
        return self.electrode_state(DISSOLVED, scale=pybamm.Scalar(DISSOLVED_SCALE))

    def get_coupled_variables(self, variables):
        delta_phi = self.local(variables, "surface potential difference [V]")
        k_d = pybamm.Parameter("TM dissolution rate constant at 4.6 V [s-1]")
        decade = pybamm.Parameter("TM dissolution Tafel slope [V]")
        # per TM of the hosts still there (their volume, which loss of active material shrinks),
        # so that a design's active fraction and a cell's losses scale what dissolves
        host_tm = (
            pybamm.Parameter("Transition metals per lattice oxygen")
            * pybamm.Parameter("Lattice oxygen concentration [mol.m-3]")
            * self.hosts_volume_fraction(variables)
        )
        variables.update(
            self.electrode_variables(RATE, k_d * host_tm * 10 ** ((delta_phi - ONSET_V) / decade))
        )
        variables[TOTAL_RATE] = self.integrate(self.local(variables, RATE))
        variables[TOTAL_DISSOLVED] = self.integrate(self.local(variables, DISSOLVED))
        return variables

    def set_rhs(self, variables):
        self.rhs = {self.state_of(variables, DISSOLVED): self.local(variables, RATE)}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {self.state_of(variables, DISSOLVED): pybamm.Scalar(0)}


class NoTMDissolution(PositiveSubModel):
    """No TM leaves the hosts (option "none")."""

    def get_fundamental_variables(self):
        zero = pybamm.Scalar(0)
        variables = {}
        for name in (DISSOLVED, RATE):
            variables.update(self.electrode_variables(name, zero))
        variables[TOTAL_RATE] = zero
        variables[TOTAL_DISSOLVED] = zero
        return variables


class DissolvedTMCrossover(pybamm.BaseSubModel):
    """Dissolved TM in the electrolyte, deposited in the graphite's SEI, and the current of the
    SEI growth the deposited Mn catalyses, which ``MnCatalysedSEIGrowth`` adds to the SEI's
    (full cells with "LRMO TM dissolution" on)."""

    def __init__(self, param, options=None):
        super().__init__(param, domain="negative", options=options)

    def get_fundamental_variables(self):
        return {
            IN_ELECTROLYTE: pybamm.Variable(
                IN_ELECTROLYTE, domain="current collector", scale=pybamm.Scalar(TM_SCALE)
            ),
            DEPOSITED: pybamm.Variable(
                DEPOSITED, domain="current collector", scale=pybamm.Scalar(TM_SCALE)
            ),
            LOST: pybamm.Variable(LOST, domain="current collector", scale=pybamm.Scalar(LI_SCALE)),
        }

    def get_coupled_variables(self, variables):
        x_n = variables["X-averaged negative particle surface stoichiometry"]
        k_cat = pybamm.Parameter("Mn-catalysed SEI rate constant [s-1]")
        f_mn = pybamm.Parameter("Mn share of dissolved TM")
        k_dep = pybamm.Parameter("Dissolved TM deposition rate constant [s-1]")
        rate = k_cat * x_n * f_mn * variables[DEPOSITED]
        variables["Mn-catalysed SEI lithium consumption rate [mol.s-1]"] = rate
        variables["TM deposition rate [mol.s-1]"] = k_dep * variables[IN_ELECTROLYTE]
        a_j_av = -F * rate / (self.param.n.L * self.param.A_cc)
        variables.update(uniform_negative_reaction(variables, REACTION, a_j_av))
        return variables

    def set_rhs(self, variables):
        deposition = variables["TM deposition rate [mol.s-1]"]
        self.rhs = {
            variables[IN_ELECTROLYTE]: variables[TOTAL_RATE] - deposition,
            variables[DEPOSITED]: deposition,
            variables[LOST]: variables["Mn-catalysed SEI lithium consumption rate [mol.s-1]"],
        }

    def set_initial_conditions(self, variables):
        self.initial_conditions = {
            variables[name]: pybamm.Scalar(0) for name in (IN_ELECTROLYTE, DEPOSITED, LOST)
        }


class MnCatalysedSEIGrowth(pybamm.sei.SEIGrowth):
    """PyBaMM's SEI growth of the graphite, whose current also carries the reduction that the
    deposited Mn catalyses (``DissolvedTMCrossover``): one film, one Li sink, one resistance."""

    def __init__(self, param, options):
        super().__init__(param, "negative", options)

    def get_coupled_variables(self, variables):
        # read first: a missing catalysed current must stop this submodel before PyBaMM's own
        # SEI current alone reaches the shared variables
        catalysed = variables[f"Negative electrode {REACTION} interfacial current density [A.m-2]"]
        variables = super().get_coupled_variables(variables)
        own = variables[
            f"Negative electrode {self.reaction_name}interfacial current density [A.m-2]"
        ]
        variables.update(self._get_standard_reaction_variables(own + catalysed))
        # PyBaMM's volumetric SEI currents, from the summed interfacial current
        return super(pybamm.sei.SEIGrowth, self).get_coupled_variables(variables)
