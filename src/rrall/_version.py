"""The version of rrall, in a module of its own so that the engine can name it in results."""

__all__ = ["__version__"]

__version__ = "0.1.0"
