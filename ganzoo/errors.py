"""Errors a user can cause. The CLI prints them as one line and exits with code 2."""

import difflib


class GanzooError(Exception):
    """A mistake in the input (a name, a file, a config value): shown without a traceback."""

    exit_code = 2
    prefix = "error: "  # what the CLI prints before the message


class UnknownNameError(GanzooError, KeyError):
    def __str__(self):  # KeyError would quote the message
        return self.args[0]


class ConfigError(GanzooError):
    pass


class IncompatibleError(GanzooError):
    """A discriminator (or other part) cannot take what the model makes (frames, size, channels)."""


def did_you_mean(word, choices, what):
    """'unknown model 'mocogn'; did you mean 'mocogan'? (known: a, b, c)' as one line."""
    choices = sorted(choices)
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    known = ", ".join(choices) if choices else "none registered"
    return f"unknown {what} {word!r}{hint} (known: {known})"
