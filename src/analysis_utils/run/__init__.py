"""Running the report: notebook kernels (:mod:`.kernels`), the stages as a graph
(:mod:`.scheduler`), reuse by content (:mod:`.reuse`), all-or-nothing publishing (:mod:`.publish`),
rendering (:mod:`.render`), the run itself (:mod:`.pipeline`), comparisons (:mod:`.comparison`) and the
benchmark (:mod:`.bench`)."""
