"""The claims of the notes as proof obligations (data only: importing runs nothing).

One module per section of the notes; each has a module-level ``OBLIGATIONS`` list.
"""

from symconv.engine.obligation import collect

from . import convolution, crosscorrelation, deep_learning, differentiation

__all__ = ["SECTIONS", "all_obligations"]

SECTIONS = (differentiation, convolution, crosscorrelation, deep_learning)


def all_obligations():
    """Every obligation of the notes, in the notes' order; duplicate ids are an error."""
    return collect(*(section.OBLIGATIONS for section in SECTIONS))
