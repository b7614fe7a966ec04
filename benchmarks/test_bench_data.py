"""Data benchmarks: store vs mp4 decoding, prepare throughput, peak memory of reading a store.

- ``test_store_vs_mp4``: clips/s reading 64x64x16 clips from the clip store vs decoding the same
  clips from H.264 mp4 files with PyAV (both from a warm page cache, both ending in a uint8
  ``(3, T, H, W)`` tensor that owns its pixels). The store must be >= 10x faster (issue #3).
- ``test_prepare_throughput``: clips/s of ``prepare`` over a folder of mp4 files on 2 workers.
- ``test_store_peak_rss``: a fresh process reads 10,000 clips (1.97 GB of 64x64x16 uint8) from a
  store; its anonymous memory must not grow (the memory map is paged, never loaded whole) and its
  peak RSS must grow by well under the store's size (the store releases read pages every
  ``release_mb`` = 256 MB, see :mod:`ganzoo.data.store`).

Run: ``tox -e bench -- -k data`` (numbers land in ``extra_info``).
"""

import json
import subprocess
import sys
import time

import pytest
import torch

from ganzoo.data import open_dataset
from ganzoo.data.prepare import prepare
from ganzoo.video import read_video, write_video

from perf import best_of

FRAMES, SIZE, FILES, RSS_CLIPS = 16, 64, 128, 10_000


@pytest.fixture(scope="module")
def mp4_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("mp4s")
    shapes = open_dataset("moving-shapes", FRAMES, SIZE, size=FILES, seed=3)
    for i in range(FILES):
        write_video(root / f"clip{i:04d}.mp4", shapes[i].permute(1, 2, 3, 0).numpy(), fps=25)
    return root


@pytest.fixture(scope="module")
def store(mp4_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("store") / "s"
    prepare("video-folder", mp4_folder, out, resolution=SIZE, frames=FRAMES, progress=False)
    return open_dataset(out, FRAMES, SIZE)


def test_store_vs_mp4(benchmark, store, mp4_folder):
    paths = sorted(mp4_folder.glob("*.mp4"))
    assert len(store) == len(paths) == FILES

    def decode_all():
        return [torch.from_numpy(read_video(p, frames=FRAMES)).permute(3, 0, 1, 2).contiguous() for p in paths]

    def read_all():
        return [store[i].clone() for i in range(len(store))]

    decoded, stored = decode_all(), read_all()
    assert all(torch.equal(a, b) for a, b in zip(decoded, stored))  # the same clips, two ways
    decode_s = best_of(decode_all)
    benchmark.pedantic(read_all, rounds=20, iterations=1, warmup_rounds=2)
    store_s = benchmark.stats.stats.min
    ratio = decode_s / store_s
    benchmark.extra_info.update({"store_clips_per_s": FILES / store_s, "mp4_clips_per_s": FILES / decode_s,
                                 "store_over_mp4": ratio, "clip": f"{FRAMES}x{SIZE}x{SIZE}"})
    print(f"\nstore {FILES / store_s:.0f} clips/s, mp4 {FILES / decode_s:.0f} clips/s: {ratio:.1f}x")
    assert ratio >= 10


def test_prepare_throughput(benchmark, mp4_folder, tmp_path):
    runs = iter(range(100))

    def run():
        return prepare("video-folder", mp4_folder, tmp_path / f"p{next(runs)}", resolution=SIZE, frames=FRAMES,
                       workers=2, progress=False)

    manifest = benchmark.pedantic(run, rounds=2, iterations=1)
    assert manifest["counts"]["clips"] == FILES
    rate = FILES / benchmark.stats.stats.min
    benchmark.extra_info.update({"clips_per_s": rate, "workers": 2, "source": "mp4 (H.264)"})
    print(f"\nprepare on 2 workers: {rate:.1f} clips/s (includes starting the workers)")


READER = """
import json, sys
from ganzoo.data.store import ClipStore
def status():
    fields = dict(line.split(':', 1) for line in open('/proc/self/status'))
    return {k: int(fields[k].split()[0]) // 1024 for k in ('VmHWM', 'RssAnon', 'RssFile')}
store = ClipStore(sys.argv[1])
before = status()
total = 0
for i in range(len(store)):
    total += int(store[i][:, ::4, ::8, ::8].sum())  # touches every page of every clip
print(json.dumps({"before": before, "after": status(), "clips": len(store), "checksum": total}))
"""


def test_store_peak_rss(benchmark, tmp_path):
    out = tmp_path / "big"
    start = time.perf_counter()
    prepare("moving-shapes", None, out, resolution=SIZE, frames=FRAMES, workers=2, size=RSS_CLIPS, progress=False)
    prepare_s = time.perf_counter() - start
    size_mb = (out / "clips.u8").stat().st_size // 2**20

    def read():
        result = subprocess.run([sys.executable, "-c", READER, str(out)], capture_output=True, text=True, check=True)
        return json.loads(result.stdout)

    report = benchmark.pedantic(read, rounds=1, iterations=1)
    anon_growth = report["after"]["RssAnon"] - report["before"]["RssAnon"]
    benchmark.extra_info.update({"store_mb": size_mb, "peak_rss_mb": report["after"]["VmHWM"], "anon_growth_mb": anon_growth,
                                 "rss_before_reading_mb": report["before"]["VmHWM"],
                                 "rss_file_mb": report["after"]["RssFile"], "clips": report["clips"],
                                 "prepare_clips_per_s_moving_shapes": RSS_CLIPS / prepare_s})
    print(f"\nstore {size_mb} MB; reader peak RSS {report['before']['VmHWM']} MB before reading (torch imported), "
          f"{report['after']['VmHWM']} MB after, anonymous growth {anon_growth} MB, "
          f"file-backed {report['after']['RssFile']} MB; prepare moving-shapes {RSS_CLIPS / prepare_s:.0f} clips/s on 2 workers")
    assert report["clips"] == RSS_CLIPS and anon_growth < 100
    assert report["after"]["VmHWM"] - report["before"]["VmHWM"] < 512
