"""Comeback Case Archive: reputation crises and how their subjects recovered.

Data flows one way: case files -> cases -> entities -> index -> search -> app / CLI.
"""

from __future__ import annotations

__version__ = "0.1.0"
