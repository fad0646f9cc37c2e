"""quotetrack: quoted statements in news, who said them and through whom."""

__version__ = "0.1.0"
