"""Things the project makes rather than reads: the Excel entry template, the synthetic example
intake and the reconstruction of the 2015 answers from the published figures."""
