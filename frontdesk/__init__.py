"""FrontDesk: front desk and point of sale for spas, salons and bathhouses."""

__version__ = "0.1.0"
