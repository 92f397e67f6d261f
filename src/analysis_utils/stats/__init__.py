"""The statistics: DataFrames or arrays in, numbers or tidy DataFrames with ids out.

No language, no catalog, no file: what a reader sees is worded by :mod:`analysis_utils.present`,
what is written by :mod:`analysis_utils.chapters`. One public function per idea, each with its
formula, its reference in the literature and an example that runs as a doctest (the model is
pingouin's ``reliability.py``).

- :mod:`.intervals`: Wilson, Clopper–Pearson, Newcombe, a respondent-level pooled share, Manski.
- :mod:`.effects`: mid-ranks, Spearman, rank-biserial, epsilon², Cronbach's alpha.
- :mod:`.tests`: Mann–Whitney, Kruskal–Wallis, Holm, sub-group families.
- :mod:`.power`: Fisher's exact power and the smallest difference it detects.
- :mod:`.descriptive`: frequencies, type-1 quartiles, top-2 shares per item and group.
- :mod:`.publication`: a publication's facts as constraints (reproduction, GRIM, claims).
- :mod:`.admissible`: the counts a publication's words admit for one item (quantifiers).
- :mod:`.bounds`, :mod:`.arrangements`, :mod:`.effect_ranges`, :mod:`.compositions`, :mod:`.held_answers`,
  :mod:`.programmes` and :mod:`.identification`: identified ranges over every arrangement of
  answers.
- :mod:`.constructs`, :mod:`.limits`, :mod:`.compare`: the theory's constructs, the limits in
  numbers, intakes side by side.
"""
