"""One 0.1C formation cycle of the Ru-1 LRMO half cell and its first-cycle efficiency."""

from lrmo_cell import simulate_cycling

if __name__ == "__main__":
    row = simulate_cycling("Ru-1", c_rate=1.0, cycles=0).iloc[0]
    print(
        f"charge {row.charge_capacity_mAh_per_g:.0f} mAh/g, "
        f"discharge {row.discharge_capacity_mAh_per_g:.0f} mAh/g, "
        f"ICE {row.coulombic_efficiency:.3f}"
    )
