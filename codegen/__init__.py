"""payamak's code generator: specs/ in, generated/payamak_gen/ out.

Run ``python -m codegen`` to regenerate and ``python -m codegen --check`` to fail on drift.
"""
