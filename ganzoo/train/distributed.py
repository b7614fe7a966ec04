"""torch.distributed for the loop: started by ``torchrun`` (env://), never by ganzoo itself.

Data parallel in the way stylegan2-ada does it: parameters are broadcast from rank 0 once, and
after every backward the gradients (and the loss, for logging) are averaged with one
``all_reduce`` of a flat buffer. We use this rather than ``DistributedDataParallel``'s reducer
because the reducer does not support the double backward of R1 and path-length penalties and
would need every D in the G phase to be a separate DDP instance. The effect is the same: every
rank holds identical weights, and the global batch is the per-process batch x world size (the
paper's 8 x 4).
"""

import os

import attrs
import torch
import torch.distributed as dist

from ganzoo.errors import GanzooError


@attrs.frozen
class World:
    rank: int = 0
    size: int = 1
    device: torch.device = torch.device("cpu")
    started_here: bool = False

    @property
    def main(self):
        return self.rank == 0


def resolve_device(name, local_rank=0):
    """``cpu`` / ``cuda`` / ``cuda:N`` -> torch.device; CUDA asked for but absent is an error."""
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise GanzooError(f"--device {name} was asked for but CUDA is not available here (torch "
                              f"{torch.__version__}, built for CUDA {torch.version.cuda}); use --device cpu")
        return torch.device(name if ":" in name else f"cuda:{local_rank}")
    if name != "cpu":
        raise GanzooError(f"unknown device {name!r}; use cpu or cuda")
    return torch.device("cpu")


def setup(device_name):
    """The World of this process: single-process, or the torchrun group (gloo on CPU, nccl on CUDA)."""
    size = int(os.environ.get("WORLD_SIZE", "1"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = resolve_device(device_name, local_rank)
    if size <= 1:
        return World(device=device)
    started = False
    if not dist.is_initialized():
        if device.type == "cuda":
            torch.cuda.set_device(device)
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo", init_method="env://")
        started = True
    return World(dist.get_rank(), dist.get_world_size(), device, started)


def teardown(world):
    if world.started_here and dist.is_initialized():
        dist.destroy_process_group()


@torch.no_grad()
def broadcast_modules(world, modules):
    """Rank 0's parameters and buffers to every rank."""
    if world.size == 1:
        return
    for module in modules:
        for tensor in list(module.parameters()) + list(module.buffers()):
            dist.broadcast(tensor.data, src=0)


@torch.no_grad()
def broadcast_buffers(world, modules):
    """Rank 0's buffers (BatchNorm running statistics, ...) to every rank, as DDP's
    ``broadcast_buffers=True`` does each iteration; parameters never drift, buffers would."""
    if world.size == 1:
        return
    for module in modules:
        for tensor in module.buffers():
            dist.broadcast(tensor.data, src=0)


def average(world, params, loss):
    """Average gradients of ``params`` and the detached ``loss`` over ranks, in place.

    Returns the averaged loss (a 0-d tensor). Parameters without a gradient count as zeros.
    """
    if world.size == 1:
        return loss.detach()
    params = [p for p in params if p.requires_grad]
    for p in params:
        if p.grad is None:
            p.grad = torch.zeros_like(p)
    flat = torch.cat([p.grad.reshape(-1) for p in params] + [loss.detach().float().reshape(1)])
    dist.all_reduce(flat)
    flat /= world.size
    offset = 0
    for p in params:
        n = p.numel()
        p.grad.copy_(flat[offset:offset + n].view_as(p.grad))
        offset += n
    return flat[-1]


@torch.no_grad()
def check_in_sync(world, modules, step):
    """Fail loudly if ranks' weights drifted apart (they must stay bit-identical)."""
    if world.size == 1:
        return None
    digest = torch.stack([torch.cat([t.detach().double().reshape(-1) for t in (*m.parameters(), *m.buffers())]).sum()
                          for m in modules]).cpu()
    gathered = [torch.zeros_like(digest) for _ in range(world.size)]
    dist.all_gather(gathered, digest.to(world.device) if world.device.type == "cuda" else digest)
    if any(not torch.equal(g.cpu(), gathered[0].cpu()) for g in gathered):
        raise GanzooError(f"step {step}: the weights of the {world.size} ranks differ; distributed training is out of sync")
    return digest


def agree(world, signum):
    """The largest signal number any rank has seen (0: none), so every rank stops after the
    same step (a rank that stopped alone would leave the others waiting in a collective)."""
    if world.size == 1:
        return int(signum)
    flag = torch.tensor([int(signum)], device=world.device)
    dist.all_reduce(flag, op=dist.ReduceOp.MAX)
    return int(flag.item())


def gather_objects(world, obj):
    """A list with every rank's ``obj`` (on every rank)."""
    if world.size == 1:
        return [obj]
    out = [None] * world.size
    dist.all_gather_object(out, obj)
    return out
