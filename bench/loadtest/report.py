"""Read locust's CSV statistics of the three phases and print the RESULT line."""

import csv
import sys
from pathlib import Path


def rows(folder, phase):
    with (Path(folder) / f"{phase}_stats.csv").open(newline="", encoding="utf-8") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def main(folder):
    phases = {name: rows(folder, name) for name in ("ceiling", "home", "mixed")}
    errors = sum(int(p["Aggregated"]["Failure Count"]) for p in phases.values())
    ceiling = float(phases["ceiling"]["Aggregated"]["Requests/s"])
    home = float(phases["home"]["Aggregated"]["Requests/s"])
    ratio = home / ceiling if ceiling else 0.0
    topic = phases["mixed"].get("topic")
    p95 = topic["95%"] if topic and topic["95%"] not in ("", "N/A") else "n/a"
    print("\nper request (mixed phase): name, count, failures, median ms, p95 ms, rps")
    for name, row in phases["mixed"].items():
        print(
            f"  {name:<20} {row['Request Count']:>7} {row['Failure Count']:>5} "
            f"{row['Median Response Time']:>6} {row['95%']:>6} {float(row['Requests/s']):>8.1f}"
        )
    print(
        f"RESULT ceiling_rps={ceiling:.0f} home_anon_rps={home:.0f} ratio={ratio:.2f} "
        f"topic_member_p95_ms={p95} errors={errors}"
    )


if __name__ == "__main__":
    main(sys.argv[1])
