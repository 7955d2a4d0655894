"""Benchmarks that print numbers (not timed tests). ``make bench`` runs every ``bench/*.py`` main()."""
