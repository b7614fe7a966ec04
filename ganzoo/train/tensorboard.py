"""TensorBoard output of a run (``DIR/tb``): scalars and sample videos as animated GIFs.

``SummaryWriter.add_video`` needs moviepy; instead the GIF is encoded here (PIL) and written
as an image summary whose encoded bytes are the GIF, which TensorBoard's Images tab plays.
"""

from tensorboard.compat.proto.summary_pb2 import Summary
from torch.utils.tensorboard import SummaryWriter

from ganzoo.train.media import gif_bytes
from ganzoo.video import make_grid


class Board:
    """A thin SummaryWriter for rank 0 of a run."""

    def __init__(self, folder, purge_step=None):
        """``purge_step``: a resumed run's first new step; events from it on are dropped."""
        self.writer = SummaryWriter(log_dir=str(folder), purge_step=purge_step)

    def scalars(self, values, step):
        """``{"loss/G": 0.7, ...}`` at ``step``."""
        for tag, value in values.items():
            self.writer.add_scalar(tag, float(value), step)

    def video(self, tag, videos, step, fps=10):
        """uint8 ``(B, 3, T, H, W)`` -> one grid GIF under ``tag`` in the Images tab."""
        frames = make_grid(videos, padding=1)
        t, h, w, _ = frames.shape
        image = Summary.Image(height=h, width=w, colorspace=3, encoded_image_string=gif_bytes(frames, fps))
        self.writer._get_file_writer().add_summary(Summary(value=[Summary.Value(tag=tag, image=image)]), step)

    def flush(self):
        self.writer.flush()

    def close(self):
        self.writer.close()
