"""Pure readers of students' text: numbers (grouping, decimal marks, remarks, implicit products),
safe arithmetic and the bounds its rounded numbers allow, units, choices and growth classes.
Nothing here reads a file or knows a sheet.
"""

__all__ = [
    "choices",
    "digit_grouping",
    "expression",
    "growth_classes",
    "implicit_products",
    "latex",
    "numbers",
    "quantity_quotient",
    "remarks",
    "rounding_bounds",
    "significant_figures",
    "simple_units",
    "unit_boundary",
    "units",
]
