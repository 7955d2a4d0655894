"""Statistics bucketing (pure; no ORM): flat GROUP BY rows → the VRt ``dates`` tree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class StatisticsRow:
    day: date
    service: str
    process_type: str
    points: int
    elements: int
    unique_points: int
    processes: int


def group_by_day(rows: Iterable[StatisticsRow]) -> list[dict]:
    """Rows ordered by (day, service, process_type) → ``[{date, services: [{service, processes}]}]``.

    Days and services with nothing are absent (a ``ServiceStatistics`` needs ≥ 1 process).
    """
    dates: list[dict] = []
    for row in rows:
        if not dates or dates[-1]["date"] != row.day.isoformat():
            dates.append({"date": row.day.isoformat(), "services": []})
        services = dates[-1]["services"]
        if not services or services[-1]["service"] != row.service:
            services.append({"service": row.service, "processes": []})
        services[-1]["processes"].append(
            {
                "process_type": row.process_type,
                "points_per_day": row.points,
                "unique_points_per_day": row.unique_points,
                "elements_per_day": row.elements,
                "processes_per_day": row.processes,
            }
        )
    return dates
