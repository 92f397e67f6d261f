"""Analysis of the OCMW Genk client survey on the helping relationship (budget help).

The package holds the logic that the staged notebooks in ``notebooks/`` call: the codebook,
reading and validating an intake, the 2015 reconstruction, descriptive statistics, plots and
the papermill pipeline.
"""
__version__ = "0.1.0"
