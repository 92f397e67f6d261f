"""What a reader sees: words for ids (:mod:`.labels`), tables for people (:mod:`.tables`,
:mod:`.views`, :mod:`.limits`), sentences (:mod:`.narrative`), figures (:mod:`.plots` draws,
:mod:`.figures` saves and shows), escaping (:mod:`.escaping`) and the page shell (:mod:`.book`)."""
