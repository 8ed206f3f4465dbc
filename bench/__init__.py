"""Speed and memory benchmarks with targets: ``make bench`` (``python -m bench``)."""
