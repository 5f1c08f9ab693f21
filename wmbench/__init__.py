"""wmbench: wireless-communications papers into a machine-verified math benchmark."""

__version__ = "0.1.0"
