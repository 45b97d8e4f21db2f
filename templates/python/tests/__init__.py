"""Makes `src` importable as the Lambda bundle does (its contents sit at the bundle's root).

Runs first under `python3 -m unittest discover -s tests -t .`, because the tests are this package.
"""
import logging
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))

# The handlers log the failures the tests provoke on purpose; keep them out of the test report.
logging.getLogger().addHandler(logging.NullHandler())
