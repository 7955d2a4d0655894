"""Statistics bucketing (pure; no ORM): flat GROUP BY rows → the VRt ``dates`` tree."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from common.renderers import PlainList

# One row of the statistics aggregate (and of the report).
COLUMNS = ("day", "service", "process_type", "points", "unique_points", "elements", "processes")
StatisticsRow = tuple[date, str, str, int, int, int, int]


def group_by_day(rows: Iterable[StatisticsRow]) -> PlainList:
    """Rows ordered by (day, service, process_type) → ``[{date, services: [{service, processes}]}]``.

    Days and services with nothing are absent (a ``ServiceStatistics`` needs ≥ 1 process). Every
    leaf is a string or an integer column: a ``PlainList`` (the renderer need not look for floats).
    """
    dates = PlainList()
    last_day = last_service = None
    services: list[dict] = []
    processes: list[dict] = []
    for day, service, process_type, points, unique_points, elements, count in rows:
        if day != last_day:
            services = []
            dates.append({"date": day.isoformat(), "services": services})
            last_day, last_service = day, None
        if service != last_service:
            processes = []
            services.append({"service": service, "processes": processes})
            last_service = service
        processes.append(
            {
                "process_type": process_type,
                "points_per_day": points,
                "unique_points_per_day": unique_points,
                "elements_per_day": elements,
                "processes_per_day": count,
            }
        )
    return dates
