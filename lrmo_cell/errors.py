"""The error type for bad user input: the CLI prints its message as one line and exits 2."""


class InputError(ValueError):
    """Bad user input. The message is one sentence naming the field and the allowed range."""
