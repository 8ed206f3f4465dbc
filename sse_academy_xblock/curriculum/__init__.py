"""The SSE Academy curriculum shipped with the package: one folder per module, ``<NN-slug>/module.xml``.

:mod:`.loader` finds the modules (for workbench scenarios and tests); :mod:`.export` builds an Open edX
course export archive from them (``make course``).
"""
