"""``ganzoo data prepare``: decode a dataset once, in worker processes, into a clip store.

How it stays safe to interrupt: the sources are cut into fixed chunks (the chunking depends
only on the number of sources, not on the worker count); each finished chunk is written
atomically as ``OUT/parts/NNNNNN.npz``; a run that finds the same plan in ``OUT/prepare.json``
skips the chunks already there. Only when every chunk is done are ``clips.u8`` and
``index.npz`` assembled (atomically) and, last of all, ``manifest.json`` written: a store
without a manifest never loads (see :mod:`ganzoo.data.store`). A full disk stops the run with
a one-line error and leaves the finished chunks for the next run.
"""

import json
import multiprocessing
import shutil
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np

import ganzoo
from ganzoo.data.atomic import atomic_file, atomic_write_text
from ganzoo.data.open import open_dataset
from ganzoo.data.sources import Preparable, list_sha256
from ganzoo.data.store import CLIPS, FORMAT, INDEX, MANIFEST, read_manifest
from ganzoo.errors import GanzooError
from ganzoo.progress import progress as show_progress
from ganzoo.video.errors import BAD_SOURCE, ShortVideoError, TruncatedVideoError

PLAN = "prepare.json"
PARTS = "parts"
MAX_REASONS_SHOWN = 3
SOURCE_ERRORS = BAD_SOURCE  # a bad file, not a bug in ganzoo

_worker_dataset = None


def chunk_size(n_sources):
    """Sources per chunk: about 256 chunks, 1 to 64 sources each (independent of workers)."""
    return max(1, min(64, n_sources // 256))


def build_dataset(dataset, root, resolution, frames, options):
    data = open_dataset(dataset, frames, resolution, root=root, **options)
    if not isinstance(data, Preparable):
        raise GanzooError(f"dataset {dataset!r} cannot be prepared into a store (it has no sources)")
    return data


def _init_worker():
    import torch

    torch.set_num_threads(1)


def run_chunk(data, number, indices, parts):
    """Decode the sources ``indices`` and write their clips as one part file."""
    sources = data.sources()
    clips, starts, labels, factors, owners, looped = [], [], [], [], [], []
    skipped, reasons, short, truncated = [], [], [], []
    for i in indices:
        try:
            made = data.clips_of(sources[i])
        except SOURCE_ERRORS as exc:
            skipped.append(i)
            reasons.append(str(exc).replace(str(getattr(data, "root", "")) + "/", ""))
            short.append(isinstance(exc, ShortVideoError))
            truncated.append(isinstance(exc, TruncatedVideoError))
            continue
        for clip in made:
            clips.append(clip.clip.numpy())
            starts.append(clip.start)
            labels.append(clip.label)
            factors.append(clip.factors)
            owners.append(i)
            looped.append(clip.looped)
    n_factors = len(data.factor_names)
    with atomic_file(Path(parts) / f"{number:06d}.npz") as handle:
        np.savez(handle,
                 clips=np.stack(clips) if clips else np.zeros((0,), np.uint8),
                 starts=np.asarray(starts, np.int64), labels=np.asarray(labels, np.int64),
                 factors=np.asarray(factors, np.float32).reshape(len(clips), n_factors),
                 source=np.asarray(owners, np.int64), looped=np.asarray(looped, bool),
                 skipped=np.asarray(skipped, np.int64), reasons=np.asarray(reasons, dtype=str),
                 short=np.asarray(short, bool), truncated=np.asarray(truncated, bool))
    return len(indices)


def _worker_chunk(number, indices, parts):
    return run_chunk(_worker_dataset, number, indices, parts)


def _plan(dataset, root, data, sources, kwargs):
    plan = {"format": FORMAT, "dataset": dataset, "root": None if root is None else str(Path(root).resolve()),
            "options": data.options(), "kwargs": kwargs, "sources_sha256": list_sha256(sources),
            "chunk": chunk_size(len(sources))}
    return json.loads(json.dumps(plan))  # as it reads back from prepare.json (tuples -> lists)


def _same(plan, other):
    return {k: plan[k] for k in plan if k != "root"} == {k: other.get(k) for k in plan if k != "root"}


def _differences(plan, other):
    keys = [k for k in plan["options"] if plan["options"][k] != other.get("options", {}).get(k)]
    keys += [k for k in ("dataset",) if plan[k] != other.get(k)]
    if plan["sources_sha256"] != other.get("sources_sha256"):
        keys.append("file list (files added, removed or changed size)")
    return ", ".join(keys) or "format"


def _claim(out, plan, overwrite):
    """Make ``out`` ready for this plan. Returns the manifest if it is already prepared."""
    if out.exists() and not out.is_dir():
        raise GanzooError(f"{out} is a file, not a store folder; give a new or empty folder as OUT")
    out.mkdir(parents=True, exist_ok=True)
    existing = None
    for name in (MANIFEST, PLAN):
        if (out / name).is_file():
            try:
                existing = json.loads((out / name).read_text())
            except ValueError:
                existing = {}
            break
    if existing is None:
        if any(p for p in out.iterdir() if not p.name.startswith(".")):
            raise GanzooError(f"{out}: folder is not empty and holds no clip store; give a new or empty OUT")
    elif not _same(plan, existing.get("plan", existing)):
        if not overwrite:
            raise GanzooError(f"{out}: holds a store of other options (differs in: {_differences(plan, existing.get('plan', existing))}); "
                              f"use --overwrite or another OUT")
        for name in (MANIFEST, CLIPS, INDEX, PLAN):
            (out / name).unlink(missing_ok=True)
        shutil.rmtree(out / PARTS, ignore_errors=True)
    elif (out / MANIFEST).is_file():
        return read_manifest(out)
    atomic_write_text(out / PLAN, json.dumps(plan, indent=2))
    (out / PARTS).mkdir(exist_ok=True)
    return None


def prepare(dataset, root, out, resolution=64, frames=16, workers=0, overwrite=False, progress=True, **options):
    """Prepare ``dataset`` (files under ``root``; None for synthetic data) into the store ``out``.

    ``options`` go to the dataset (``split``, ``stride``, ``short``, ``clips_per_video``, ...).
    Returns the manifest (plain data). Resumes an interrupted run with the same options.
    """
    out = Path(out)
    data = build_dataset(dataset, root, resolution, frames, options)
    sources = data.sources()
    if not sources:
        raise GanzooError(f"{dataset}: zero usable videos: no sources found under {root}")
    plan = _plan(dataset, root, data, sources, options)
    done_before = _claim(out, plan, overwrite)
    if done_before is not None:
        return done_before
    step = plan["chunk"]
    chunks = [(k, list(range(s, min(s + step, len(sources))))) for k, s in enumerate(range(0, len(sources), step))]
    pending = [(k, idx) for k, idx in chunks if not (out / PARTS / f"{k:06d}.npz").is_file()]
    done = len(sources) - sum(len(idx) for _, idx in pending)
    bar = show_progress(total=len(sources), initial=done, unit="src", desc=f"prepare {dataset}", enabled=progress)
    try:
        if workers <= 0:
            for k, idx in pending:
                bar.update(run_chunk(data, k, idx, out / PARTS))
        else:
            _run_pool(pending, out / PARTS, workers, bar, data)
    finally:
        bar.close()
    return _assemble(out, plan, data, sources, [k for k, _ in chunks])


def _run_pool(pending, parts, workers, bar, data):
    # fork, as torch's DataLoader does: workers start at once and inherit the dataset (its file
    # list included); like DataLoader workers they set torch to one thread first, so no
    # inherited thread pool is used
    global _worker_dataset
    _worker_dataset = data
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker) as pool:
        futures = {pool.submit(_worker_chunk, k, idx, parts) for k, idx in pending}
        try:
            while futures:
                finished, futures = wait(futures, return_when=FIRST_COMPLETED)
                for future in finished:
                    try:
                        bar.update(future.result())
                    except BrokenProcessPool:
                        raise GanzooError(f"a decoding worker died (a decoder crash or out of memory) while writing {parts}; "
                                          f"finished chunks are kept: run again, or with --workers 0 to see which file") from None
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        finally:
            _worker_dataset = None


def _assemble(out, plan, data, sources, numbers):
    parts = [out / PARTS / f"{k:06d}.npz" for k in numbers]
    counts = {"sources": len(sources), "clips": 0, "skipped": 0, "short": 0, "truncated": 0, "looped": 0}
    skipped, clip_shape = [], None
    for path in parts:
        with np.load(path, allow_pickle=False) as part:
            counts["clips"] += len(part["starts"])
            counts["looped"] += len(set(part["source"][part["looped"]].tolist()))
            counts["short"] += int(part["short"].sum())
            cut = part["truncated"] if "truncated" in part.files else np.zeros(len(part["skipped"]), bool)
            counts["truncated"] += int(cut.sum())
            for i, reason, short, truncated in zip(part["skipped"], part["reasons"], part["short"], cut):
                kind = "short" if short else "truncated" if truncated else "error"
                skipped.append({"source": sources[int(i)].key, "reason": str(reason), "kind": kind})
            if len(part["starts"]) and clip_shape is None:
                clip_shape = part["clips"].shape[1:]
    counts["skipped"] = len(skipped)
    counts["used"] = counts["sources"] - counts["skipped"]
    if counts["clips"] == 0:
        reasons = "; ".join(f"{s['source']}: {s['reason']}" for s in skipped[:MAX_REASONS_SHOWN])
        raise GanzooError(f"{plan['dataset']}: zero usable videos: all {len(sources)} sources were skipped ({reasons})")
    starts, labels, factors, owners = [], [], [], []
    with atomic_file(out / CLIPS) as handle:
        for path in parts:
            with np.load(path, allow_pickle=False) as part:
                if len(part["starts"]):
                    handle.write(np.ascontiguousarray(part["clips"]).tobytes())
                starts.append(part["starts"])
                labels.append(part["labels"])
                factors.append(part["factors"])
                owners.append(part["source"])
    with atomic_file(out / INDEX) as handle:
        np.savez(handle, start=np.concatenate(starts), label=np.concatenate(labels),
                 factors=np.concatenate(factors), source=np.concatenate(owners))
    manifest = {
        "format": FORMAT, "complete": True, "dataset": plan["dataset"], "root": plan["root"], "options": plan["options"],
        "shape": [counts["clips"], *clip_shape], "counts": counts, "skipped": skipped,
        "factor_names": list(data.factor_names), "sources": [s.key for s in sources],
        "sources_sha256": plan["sources_sha256"],
        "split_sha256": {split: list_sha256(items) for split, items in data.split_lists().items()},
        "plan": plan, "ganzoo_version": ganzoo.__version__, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    manifest["fingerprint"] = fingerprint(manifest)
    atomic_write_text(out / MANIFEST, json.dumps(manifest, indent=2))
    (out / PLAN).unlink(missing_ok=True)
    shutil.rmtree(out / PARTS, ignore_errors=True)
    return manifest


def check_sources(manifest):
    """Lists the store's source folder again: ``(same, message)`` saying whether the files
    are still the ones prepared (names and sizes; the SHA-256 of the file list)."""
    plan = manifest["plan"]
    if plan["root"] is None:
        return True, "synthetic data: no files to check"
    try:
        data = build_dataset(plan["dataset"], plan["root"], manifest["shape"][3], manifest["shape"][2], plan["kwargs"])
    except GanzooError as exc:
        return False, f"cannot list the sources again: {exc}"
    now = list_sha256(data.sources())
    if now == manifest["sources_sha256"]:
        return True, f"file list unchanged (sha256 {now[:16]}...)"
    return False, f"file list changed since prepare: sha256 {now[:16]}... now, {manifest['sources_sha256'][:16]}... then"


def fingerprint(manifest):
    """16 hex digits that change whenever the stored clips would: dataset, options, file list, shape."""
    import hashlib

    payload = {k: manifest[k] for k in ("dataset", "options", "sources_sha256", "shape", "factor_names")}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
