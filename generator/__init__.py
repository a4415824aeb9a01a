"""explainer: a static-site generator for sourced, checkable news explainers."""

__version__ = "0.1.0"
