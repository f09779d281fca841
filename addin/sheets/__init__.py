"""The sheet contract: every sheet, its Excel Table, its headers and column kinds, the
choices a column allows (ledger kinds, cost methods, statuses) and the Settings names
with their defaults (`schema`).

It sits beneath everything else: the core, both adapters, the template build and the
tests read sheet and header names from here, and nothing else spells them. It imports
nothing from Loupe and no Excel library.
"""
