"""Digit grouping (1,23,45,678 in India, 12,345,678 elsewhere) and the ₹ crore figure of a
whole number of paise, in integer arithmetic.

money.py formats exact Decimals and uses the grouping here. The MoU table's crore column needs
only ``crore_figure``, and the table is in the desktop's first frame, which this module keeps
free of ``decimal`` and of money's dataclass (tests/ui/test_start_imports.py).
"""

from __future__ import annotations

#: paise in 0.01 crore (1 crore = 10**7 rupees = 10**9 paise)
_PAISE_PER_HUNDREDTH_CRORE = 10**7


def group_digits(whole: str, *, indian: bool = True) -> str:
    """Commas in a string of digits: 1,23,45,678 (Indian) or 12,345,678 (western)."""
    if len(whole) <= 3:
        return whole
    head, tail = whole[:-3], whole[-3:]
    size = 2 if indian else 3
    groups: list[str] = []
    while head:
        groups.insert(0, head[-size:])
        head = head[:-size]
    return ",".join([*groups, tail])


def crore_figure(paise: int) -> str:
    """``paise`` in crore to two decimals, rounded half-up and grouped the Indian way:
    ``1,234.57``. The same text as ``format_grouped_indian(crore(paise_to_rupees(paise)), 2)``.
    """
    hundredths, rest = divmod(abs(paise), _PAISE_PER_HUNDREDTH_CRORE)
    if 2 * rest >= _PAISE_PER_HUNDREDTH_CRORE:
        hundredths += 1
    whole, fraction = divmod(hundredths, 100)
    text = f"{group_digits(str(whole))}.{fraction:02d}"
    return f"-{text}" if paise < 0 and hundredths else text  # what rounds to 0 shows as 0.00
