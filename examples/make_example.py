"""Build ``crm_export_example.csv``: a small SYNTHETIC export in a council's spelling.

Two thousand records drawn (seed 7) from the default synthetic extract, with
the column names, date format and channel words of a typical CRM export, so
that the README's ``--crm`` example and an upload on the *Data and sources*
page have a file to try. Every record is synthetic: the ``Synthetic`` column
says so and the app labels the contacts accordingly.

Usage: ``python examples/make_example.py`` from the checkout.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from insight import synthetic

logger = logging.getLogger("make_example")
OUT = Path(__file__).resolve().parent / "crm_export_example.csv"
CHANNEL_WORDS = {
    "phone": "Telephone",
    "face_to_face": "Face to Face",
    "email": "E-mail",
    "web_form": "Online form",
    "automated_payment": "IVR",
}


def main() -> None:
    """Write the example export."""
    extract = pd.read_csv(synthetic.default_extract_path(), dtype=str)
    sample = extract.sample(n=2000, random_state=7).sort_values("created_at")
    export = pd.DataFrame(
        {
            "Case Ref": sample["case_id"],
            "Date Created": pd.to_datetime(sample["created_at"]).dt.strftime(
                "%d/%m/%Y %H:%M"
            ),
            "Contact Method": sample["channel"].map(CHANNEL_WORDS),
            "Service Area": sample["service"]
            .str.replace("_", " ")
            .str.replace(" and ", " & ")
            .str.title(),
            "Post Code": sample["postcode"],
            "Centre": sample["centre"],
            "Resolved First Contact": sample["resolved_first_contact"],
            "Avoidable": sample["avoidable"],
            "Synthetic": sample["synthetic"],
        }
    )
    export.to_csv(OUT, index=False)
    logger.info("wrote %d synthetic records to %s", len(export), OUT)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    main()
