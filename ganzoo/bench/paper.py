"""The paper's published figures (InMoDeGAN, Wang, Bremond, Dantcheva), shown beside ours and
marked "(paper)".

Transcribed from the paper's Tables 1-5 (the text at ``../shared/paper/InMoDeGAN.md``), each
figure as printed, keyed ``FIGURES[table][dataset][row][column]``. Rows and columns carry the
paper's own labels in plain text (``"G3AN"`` for $G^3AN$, ``"D_V0, D_V1"``, ``"d511"``,
``"delta phi_1"``); reference numbers like ``[46]`` and bold marks are dropped. Tab. 1 and 3
print one figure per dataset: their column is ``"FID"``, what the captions call it.
``tests/test_bench_paper.py`` parses the paper's markdown and compares every figure here to it.

How ganzoo's rows map to the paper's is data too (``MODEL_ROWS``, ``tpd_row``, ``PICKED_BY``),
so a rendered table can say which of our rows stands for which of theirs.
"""

# The paper's metric (Sec. 4.1, "Evaluation metric"): every figure of Tab. 1-3 is one of these.
METRIC = {
    "name": "video FID",
    "features": "ResNeXt-101 pre-trained on Kinetics-400, before the last fully connected layer",
    "samples": 10000,
    "datasets": ("VoxCeleb2-mini", "BAIR-robot"),
    "resolution": "64x64",
    "frames": "16 (VGAN: 32), Sec. 4.2",
    "where": "Sec. 4.1",
}
METRIC_DESCRIPTION = ("video FID, ResNeXt-101 (Kinetics-400) features, 10,000 samples, "
                      "on VoxCeleb2-mini / BAIR-robot at 64x64 (Sec. 4.1)")
METRIC_SHORT = "video FID, ResNeXt-101"

VOX, BAIR = "VoxCeleb2-mini", "BAIR-robot"

# Tab. 4/5 (Sec. 4.3): delta phi_i = phi_i with d_k deactivated (alpha_k = 0) minus phi_i of
# the original videos (Eq. 6); delta Phi the same for Eq. 7 in the head / mouth region;
# 1,000 sampled videos.
DELTA_DESCRIPTION = {
    4: "delta phi_i of Eq. 6 (d_k off minus all on), 1,000 videos, on BAIR-robot at 64x64 (Sec. 4.3)",
    5: "delta Phi of Eq. 7 in the head / mouth region (d_k off minus all on), face parser of Yu et al. [57], "
       "1,000 videos, on VoxCeleb2-mini at 64x64 (Sec. 4.3)",
}

FIGURES = {
    # Tab. 1 (Sec. 4.2), caption "Comparison of InMoDeGAN with four state-of-the-art models."
    1: {
        VOX: {"VGAN": {"FID": 38.13}, "TGAN": {"FID": 23.05}, "MoCoGAN": {"FID": 12.69},
              "G3AN": {"FID": 3.32}, "InMoDeGAN": {"FID": 2.37}},
        BAIR: {"VGAN": {"FID": 147.23}, "TGAN": {"FID": 120.22}, "MoCoGAN": {"FID": 13.68},
               "G3AN": {"FID": 1.58}, "InMoDeGAN": {"FID": 1.31}},
    },
    # Tab. 2 (Sec. 4.2), caption "Evaluation of TPD. When replacing the initial 3D discriminator
    # with TPD, ...". Its 3D column is the experiment of Tab. 1 (same figures).
    2: {
        VOX: {"VGAN": {"3D": 38.13, "TPD": 16.33}, "TGAN": {"3D": 23.05, "TPD": 21.24},
              "MoCoGAN": {"3D": 12.69, "TPD": 7.07}, "G3AN": {"3D": 3.32, "TPD": 2.98}},
        BAIR: {"VGAN": {"3D": 147.23, "TPD": 93.71}, "TGAN": {"3D": 120.22, "TPD": 120.04},
               "MoCoGAN": {"3D": 13.68, "TPD": 3.16}, "G3AN": {"3D": 1.58, "TPD": 1.50}},
    },
    # Tab. 3 (Sec. 4.2), caption "Ablation study on video discriminators in TPD. Number of video
    # discriminators associated to temporal resolutions." D_Vi samples at time step v_i of
    # (1, 3, 5, 7) (Sec. 4, implementation details).
    3: {
        VOX: {"D_V0, D_V1, D_V2, D_V3": {"FID": 2.37}, "D_V0, D_V1, D_V2": {"FID": 2.65},
              "D_V0, D_V1": {"FID": 2.76}, "D_V0": {"FID": 2.84}},
        BAIR: {"D_V0, D_V1, D_V2, D_V3": {"FID": 1.56}, "D_V0, D_V1, D_V2": {"FID": 1.31},
               "D_V0, D_V1": {"FID": 1.33}, "D_V0": {"FID": 1.58}},
    },
    # Tab. 4 (Sec. 4.3, BAIR-robot). Its caption's first words are lost in the transcription (an
    # image crop); what survives: "(R_0, R_1, R_2, R_3) caused by deactivating motion-directions."
    4: {
        BAIR: {"d1": {"delta phi_0": -0.008, "delta phi_1": 0.017, "delta phi_2": 0.002, "delta phi_3": -0.033},
               "d2": {"delta phi_0": -0.001, "delta phi_1": 0.002, "delta phi_2": 0.002, "delta phi_3": -0.005},
               "d116": {"delta phi_0": 0.000, "delta phi_1": -0.001, "delta phi_2": 0.001, "delta phi_3": 0.000},
               "d511": {"delta phi_0": 0.007, "delta phi_1": -0.087, "delta phi_2": -0.059, "delta phi_3": 0.019}},
    },
    # Tab. 5 (Sec. 4.3), caption "delta Phi_head and delta Phi_mouth on VoxCeleb2-mini. Motion
    # difference in head and mouth regions induced by deactivation of motion-directions."
    # The third column is stored as printed; ``mouth_minus_head`` computes it (see PRINTED_VS_COMPUTED).
    5: {
        VOX: {"d0": {"delta Phi_head": -0.012, "delta Phi_mouth": -0.052, "delta Phi_mouth - delta Phi_head": -0.040},
              "d112": {"delta Phi_head": -0.001, "delta Phi_mouth": -0.005, "delta Phi_mouth - delta Phi_head": -0.005},
              "d114": {"delta Phi_head": -0.000, "delta Phi_mouth": -0.005, "delta Phi_mouth - delta Phi_head": -0.005},
              "d511": {"delta Phi_head": -0.036, "delta Phi_mouth": -0.027, "delta Phi_mouth - delta Phi_head": 0.008}},
    },
}

HEAD, MOUTH, DIFFERENCE = "delta Phi_head", "delta Phi_mouth", "delta Phi_mouth - delta Phi_head"
DELTA_PHI = tuple(f"delta phi_{i}" for i in range(4))

# ganzoo's model names -> the paper's row labels (Tab. 1 and 2).
MODEL_ROWS = {"vgan": "VGAN", "tgan": "TGAN", "mocogan": "MoCoGAN", "g3an": "G3AN", "inmodegan": "InMoDeGAN"}
# The TPD time steps behind D_V0..D_V3 (Sec. 4: "four time steps 1,3,5,7").
TPD_STEPS = (1, 3, 5, 7)

# Which statistic of Fig. 3a singled out each direction of Tab. 4/5 (Sec. 4.3): "alpha_511 has
# the largest variance" (both datasets), "alpha_1 (BAIR-robot) and alpha_0 (VoxCeleb2-mini)
# encompass highest mean values"; the others only "exhibit the highest impact according to
# Fig. 3a" ("top").
PICKED_BY = {
    4: {"d1": "mean", "d2": "top", "d116": "top", "d511": "variance"},
    5: {"d0": "mean", "d112": "top", "d114": "top", "d511": "variance"},
}


def figures(table_number):
    """``{dataset: {row: {column: figure}}}`` of the paper's Tab. ``table_number`` ({} if none)."""
    return FIGURES.get(table_number, {})


def figure(table_number, dataset, row, column):
    """One published figure, or None where the paper prints none."""
    return figures(table_number).get(dataset, {}).get(row, {}).get(column)


def datasets(table_number):
    return tuple(figures(table_number))


def tpd_row(speeds):
    """Tab. 3's row for a TPD speed set: (1, 3, 5) -> "D_V0, D_V1, D_V2"; None if the paper has none."""
    speeds = tuple(speeds)
    if speeds != TPD_STEPS[:len(speeds)] or not speeds:
        return None
    return ", ".join(f"D_V{i}" for i in range(len(speeds)))


def mouth_minus_head(head, mouth):
    """Tab. 5's third column, delta Phi_mouth - delta Phi_head: local motion with the global
    (head) motion taken out (Sec. 4.3). Used for the paper's figures and for ours alike."""
    return mouth - head


def printed_vs_computed(tolerance=5e-4):
    """Tab. 5 rows whose printed difference is not the difference of the printed columns:
    ``{row: (printed, computed)}``. Each column is rounded to 0.001, so the paper may have
    subtracted unrounded values; a gap of 0.001 is within that rounding."""
    gaps = {}
    for row, cols in FIGURES[5][VOX].items():
        computed = mouth_minus_head(cols[HEAD], cols[MOUTH])
        if abs(computed - cols[DIFFERENCE]) > tolerance:
            gaps[row] = (cols[DIFFERENCE], round(computed, 3))
    return gaps


# Where the paper's printed difference differs from mouth - head of its own printed columns:
# d112 prints -0.005 (columns give -0.004), d511 prints 0.008 (columns give 0.009).
PRINTED_VS_COMPUTED = printed_vs_computed()

