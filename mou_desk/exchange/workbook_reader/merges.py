"""Merged areas: every cell of one reads the value of its top-left cell."""

from __future__ import annotations

from collections.abc import Sequence


def fill_merged(
    grid: list[list[object]], merged: Sequence[tuple[tuple[int, int], tuple[int, int]]]
) -> int:
    """Give every empty cell of a merged area its top-left value; return the areas filled."""
    budget = sum(len(row) for row in grid) * 2  # overlapping areas cannot make this quadratic
    filled = 0
    for (top, left), (bottom, right) in merged:
        if top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        if value is None:
            continue
        last_row = min(bottom, len(grid) - 1)
        area = (last_row - top + 1) * (right - left + 1)
        if area > budget:
            break
        budget -= area
        filled += 1
        for r in range(top, last_row + 1):
            row = grid[r]
            for c in range(left, min(right, len(row) - 1) + 1):
                if row[c] is None:
                    row[c] = value
    return filled
