"""ganzoo beside the authors' code, in one run (issue 17, item 5): ratios, never bare seconds.

Each case builds both sides with the same config (paper preset, batch 4 videos of 16 frames at
64x64, float32, 2 threads, CPU), then times them in turn (``official.alternate``: A B, B A, ...;
the best block's median per side) and prints ``ours / official`` for times (below 1 is faster)
or ``ours / reference`` for clips per second (above 1 is faster), with the load average.

- G3AN train iteration: ours is ``test_bench_mocogan_g3an.make_case("g3an")`` (D step on D_V +
  D_I, then G step on the same fake batch); the official side is the official ``trainer.train``
  itself, run over a one-batch loader with the official networks (``--use_attention``, mode
  1p2d, ch 64, z_a 128, z_m 10) and its own three Adams.
- MoCoGAN train iteration: the official trainer is Python 2 (``print x``) and does not import,
  so the official networks (``VideoGenerator(3, 50, 0, 10, 16)``, ``PatchImageDiscriminator``,
  the 1-output ``VideoDiscriminator``) are driven by the same iteration as ours: one fake batch,
  D_I sees 4 frames of each video, D step on both, G step on both. The same work on both sides.
- fid-resnext101 features: ours is ``FidResNeXt101.prepare`` + ``embed`` on uint8 videos as the
  metric runs them; the reference is the G3AN evaluation code's transforms (PIL resize to 112,
  ClipToTensor, ClipNormalize) and its ``resnet101(sample_duration=16)``, eval, no_grad, the
  same weights (random, seeded: speed does not depend on them). The Frechet statistics of both
  sides' features are compared too (relative difference of mu and sigma).

Needs the official code (see ``official.py``; skips with how to get it):
``GANZOO_OFFICIAL_DIR=/tmp/official tox -e bench -- -k vs_official -s``.
"""


import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from ganzoo.metrics.base import to_net_float
from ganzoo_metrics.protocols import KINETICS_MEAN

import official
from test_bench_mocogan_g3an import make_case

BATCH, FRAMES, RES, THREADS = 4, 16, 64, 2
RESULTS = []


@pytest.fixture(autouse=True)
def threads():
    before = torch.get_num_threads()
    torch.set_num_threads(THREADS)
    yield
    torch.set_num_threads(before)


def report(benchmark, case, times, higher_is_better=False, per_call=1, **extra):
    ours, ref = times["ganzoo"]["median"], times["official"]["median"]
    if higher_is_better:
        figures = {"ganzoo_per_s": per_call / ours, "official_per_s": per_call / ref, "ratio_ours_over_official_rate": ref / ours}
        line = f"[{case}] ganzoo {per_call / ours:.2f}/s vs official {per_call / ref:.2f}/s = {ref / ours:.2f}x the rate"
    else:
        figures = {"ganzoo_s": ours, "official_s": ref, "ratio_ours_over_official_time": ours / ref}
        fastest = times["ganzoo"]["min"] / times["official"]["min"]
        line = (f"[{case}] ganzoo / official time = {ours / ref:.2f} (best medians {ours:.2f} s vs {ref:.2f} s; "
                f"fastest runs {fastest:.2f})")
    figures.update(load_1min=official.load_average(), threads=torch.get_num_threads(), batch=BATCH,
                   runs={k: v["runs"] for k, v in times.items()}, **extra)
    line += f"; load {figures['load_1min']:.2f}" + "".join(f"; {k} {v}" for k, v in extra.items())
    benchmark.extra_info.update(figures)
    RESULTS.append(line)
    print("\n" + line, flush=True)


def timed(benchmark, sides, turns):
    return benchmark.pedantic(lambda: official.alternate(sides, turns=turns), rounds=1, iterations=1)


# ---------------------------------------------------------------- G3AN


class _NoWriter:
    def add_scalar(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def official_g3an_iteration():
    networks, trainer = official.g3an_networks(), official.g3an_trainer()
    torch.manual_seed(0)
    g = networks.Generator(c_a=128, c_m=10, ch=64, mode="1p2d", use_attention=True)
    vd, idisc = networks.VideoDiscriminator(64), networks.ImageDiscriminator(64)
    adam = lambda net: torch.optim.Adam(net.parameters(), 2e-4, (0.5, 0.999))  # noqa: E731 (official train.py)
    opts = adam(g), adam(vd), adam(idisc)
    args = type("Args", (), {"d_za": 128, "d_zm": 10, "print_freq": 10**9, "max_epoch": 1})()
    real = torch.rand(BATCH, 3, FRAMES, RES, RES) * 2 - 1
    criterion = torch.nn.BCEWithLogitsLoss()
    return lambda: trainer.train(args, 0, g, vd, idisc, *opts, criterion, [real], _NoWriter(), "cpu")


def test_g3an_train_iteration_vs_official(benchmark):
    theirs = official_g3an_iteration()
    ours = make_case("g3an", None)
    times = timed(benchmark, {"ganzoo": ours, "official": theirs}, turns=3)
    report(benchmark, "g3an paper train iteration", times, target="<= 0.67")


# ---------------------------------------------------------------- MoCoGAN


def official_mocogan_iteration():
    models = official.mocogan_models()
    torch.manual_seed(0)
    np.random.seed(0)
    g = models.VideoGenerator(3, 50, 0, 10, FRAMES)
    d_image, d_video = models.PatchImageDiscriminator(3), models.VideoDiscriminator(3, n_output_neurons=1)
    adam = lambda params: torch.optim.Adam(params, lr=2e-4, betas=(0.5, 0.999), weight_decay=1e-5)  # noqa: E731
    opt_g, opt_d = adam(g.parameters()), adam([*d_image.parameters(), *d_video.parameters()])
    real = torch.rand(BATCH, 3, FRAMES, RES, RES) * 2 - 1

    def generate():  # VideoGenerator.sample_videos without its Python 2 integer division
        z, _ = g.sample_z_video(BATCH, FRAMES)
        h = g.main(z.view(z.size(0), z.size(1), 1, 1))
        return h.view(BATCH, FRAMES, 3, RES, RES).permute(0, 2, 1, 3, 4)

    def frames(video):  # 4 random frames of each video, as ours
        picks = torch.rand(BATCH, FRAMES).argsort(1)[:, :4]
        return video.transpose(1, 2)[torch.arange(BATCH)[:, None], picks].flatten(0, 1)

    def bce(logits, target):
        return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))

    def iteration():
        fake = generate()
        d_loss = (bce(d_image(frames(real))[0], 1.0) + bce(d_image(frames(fake.detach()))[0], 0.0)
                  + bce(d_video(real)[0], 1.0) + bce(d_video(fake.detach())[0], 0.0))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        g_loss = bce(d_image(frames(fake))[0], 1.0) + bce(d_video(fake)[0], 1.0)
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()

    return iteration


def test_mocogan_train_iteration_vs_official(benchmark):
    theirs = official_mocogan_iteration()
    ours = make_case("mocogan", None)
    times = timed(benchmark, {"ganzoo": ours, "official": theirs}, turns=5)
    report(benchmark, "mocogan paper train iteration", times, target="<= 0.9")


# ---------------------------------------------------------------- fid-resnext101 features


def reference_features(resnext, transforms):
    """The G3AN evaluation's per-batch path (fid.py get_activations, VideoDataset) on decoded frames."""
    torch.manual_seed(0)
    net = resnext.resnet101(sample_duration=16).eval()
    transform = lambda clip: transforms.ClipNormalize(mean=[114.7748, 107.7354, 99.4750], std=[1, 1, 1])(  # noqa: E731
        transforms.ClipToTensor()(transforms.ClipResize((112, 112))(clip)))

    def encode(pil_videos):
        batch = torch.stack([transform(clip) for clip in pil_videos])
        with torch.no_grad():
            return net(batch).squeeze(4).squeeze(3).squeeze(2)

    return net, encode


def ours_features(state_dict):
    """The metric's own path (prepare + embed) with the reference's weights."""
    from ganzoo_metrics.protocols import FidResNeXt101
    from ganzoo_metrics.resnext import ResNeXt3D

    net = ResNeXt3D()
    net.load_state_dict(state_dict)
    metric = FidResNeXt101()
    metric._net = net.eval().for_inference()  # what FidResNeXt101.build returns
    return metric, lambda videos: metric.features([videos])


def relative(a, b):
    return float(np.abs(a - b).max() / np.abs(b).max())


def test_resnext101_features_vs_reference(benchmark):
    resnext, transforms = official.g3an_resnext(), official.g3an_eval_transforms()
    net, theirs = reference_features(resnext, transforms)
    metric, ours = ours_features(net.state_dict())
    gen = torch.Generator().manual_seed(0)
    videos = torch.randint(0, 256, (BATCH, 3, FRAMES, RES, RES), dtype=torch.uint8, generator=gen)
    pil = [[Image.fromarray(v[:, t].permute(1, 2, 0).numpy()) for t in range(FRAMES)] for v in videos]
    times = timed(benchmark, {"ganzoo": lambda: ours(videos), "official": lambda: theirs(pil)}, turns=3)
    # Statistics of both networks on the same input (ours prepared, minus the Kinetics mean): the
    # networks must agree; the resize alone differs by rounding (PIL's fixed-point bilinear).
    many = torch.randint(0, 256, (24, 3, FRAMES, RES, RES), dtype=torch.uint8, generator=gen)
    a = np.concatenate([ours(many[i:i + BATCH]) for i in range(0, len(many), BATCH)])
    with torch.no_grad():
        b = np.concatenate([net(to_net_float(metric.prepare(many[i:i + BATCH]), KINETICS_MEAN)).flatten(1).double().numpy()
                            for i in range(0, len(many), BATCH)])
    mu_rel, sigma_rel = relative(a.mean(0), b.mean(0)), relative(np.cov(a, rowvar=False), np.cov(b, rowvar=False))
    report(benchmark, "fid-resnext101 features", times, higher_is_better=True, per_call=BATCH,
           mu_rel=f"{mu_rel:.1e}", sigma_rel=f"{sigma_rel:.1e}", target=">= 1.5")
    assert mu_rel < 1e-4 and sigma_rel < 1e-4


def teardown_module():
    if RESULTS:
        print("\n" + "\n".join(RESULTS))
