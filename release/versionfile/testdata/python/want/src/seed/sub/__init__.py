__version__ = "1.2.0"  # a subpackage: not the project's
