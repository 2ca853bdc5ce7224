"""Explainable volunteer matching: pure functions, no database, no I/O.

`scoring` ranks candidates for one need (the path a proposal takes); `matrix` scores many needs
against many volunteers at once with numpy; `solvers` and `assignment` pick an optimal set of
pairs under the volunteers' capacities.
"""
