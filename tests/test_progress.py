"""Progress fits a log: a bar on a terminal, whole lines (no carriage returns) in a file or pipe."""

import io

from tqdm import tqdm

from ganzoo.progress import Lines, progress

from conftest import run_ganzoo


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_non_tty_train_log_has_plain_progress_lines_and_no_carriage_return(tmp_path):
    result = run_ganzoo("train", "--model", "mocogan", "--preset", "tiny", "--set", "model.iterations=3",
                        "--set", "schedule.log_every=1", "--out", str(tmp_path / "run"))
    assert result.returncode == 0, result.stderr
    log = result.stdout + result.stderr
    assert "\r" not in log
    lines = [line for line in result.stderr.splitlines() if line.startswith("mocogan: ")]
    assert lines[-1].startswith("mocogan: 3/3 it (100%)") and "loss/D=" in lines[-1]


def test_on_a_terminal_it_is_a_tqdm_bar():
    stream = Terminal()
    bar = progress(total=5, desc="x", stream=stream)
    assert isinstance(bar, tqdm)
    bar.update(5)
    bar.close()
    assert "\r" in stream.getvalue()


def test_off_a_terminal_a_line_every_tenth_and_one_at_the_end():
    stream = io.StringIO()
    with progress(total=95, desc="prepare", unit="src", stream=stream) as bar:
        assert isinstance(bar, Lines)
        bar.set_postfix({"loss": "0.5"})
        for _ in range(95):
            bar.update(1)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11 and "\r" not in stream.getvalue()  # 9, 18, ..., 90, then 95 at close
    assert lines[0].startswith("prepare: 9/95 src (9%), ") and lines[0].endswith(", loss=0.5")
    assert lines[-1].startswith("prepare: 95/95 src (100%)")


def test_iterating_resumed_counts_and_quiet_cases():
    stream = io.StringIO()
    assert list(progress(range(3), desc="flow", stream=stream)) == [0, 1, 2]
    assert stream.getvalue().splitlines()[-1].startswith("flow: 3/3 it (100%)")
    stream = io.StringIO()
    with progress(total=10, initial=10, stream=stream):
        pass  # nothing done since the start: nothing to say
    with progress(total=10, leave=False, stream=stream) as bar:  # transient: a terminal would erase it
        bar.update(10)
    with progress(total=10, enabled=False, stream=Terminal()) as bar:
        bar.update(10)
    assert stream.getvalue() == ""
