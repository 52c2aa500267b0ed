"""Customer insight for councils: demand, digital exclusion and outreach sites.

The package answers three questions of a channel-shift strategy: where contact
demand comes from (:mod:`insight.demand`), who is at risk of digital exclusion
(:mod:`insight.exclusion`) and where face-to-face outlets and self-service pods
should be (:mod:`insight.siting`). Nothing here imports Streamlit.
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
