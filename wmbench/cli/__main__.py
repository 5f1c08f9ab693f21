"""``python -m wmbench.cli``: the ``wmbench`` command (for ``accelerate launch -m wmbench.cli ...``)."""

from wmbench.cli import main

main()
