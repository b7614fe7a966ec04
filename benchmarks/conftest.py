import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).parent))  # benchmarks/perf.py, the shared measuring tools


@pytest.fixture
def two_threads():
    """torch on 2 threads for one benchmark (the figures the issues quote), restored after."""
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(before)
