"""Chart geometry: value labels stay inside the plot and never cover another label or a dot."""

from __future__ import annotations

from pathlib import Path

from api.charts import BOTTOM, CHART_H, CHART_W, LABEL_CHAR, metric_charts, nice_ceiling
from service.views import therapy_detail
from store.db import open_readonly
from tests.seed import seed


def test_axis_tops_are_round_numbers_at_or_above_the_data() -> None:
    assert [nice_ceiling(x) for x in (4.715, 0.3, 9.9, 10.0, 11.5, 112.0)] == [5.0, 0.5, 10.0, 10.0, 20.0, 200.0]


def test_labels_are_inside_the_chart_and_overlap_nothing(tmp_path: Path) -> None:
    seed(tmp_path / "s.db")
    conn = open_readonly(tmp_path / "s.db")
    try:
        charts = metric_charts(therapy_detail(conn, "cilta-cel")["metrics"])
    finally:
        conn.close()
    labelled = 0
    for chart in charts:
        dots = [(p.cx - 5, p.cy - 5, 10.0, 10.0) for p in chart.points]
        boxes = []
        for p in chart.points:
            if not p.label:
                continue
            labelled += 1
            box = (p.cx + 8, p.cy + 4 + p.label_dy - 9, len(p.label) * LABEL_CHAR, 10.0)
            assert 11 <= p.cy + 4 + p.label_dy <= CHART_H - BOTTOM and box[0] + box[2] <= CHART_W
            for other in dots + boxes:
                assert not (box[0] < other[0] + other[2] and other[0] < box[0] + box[2]
                            and box[1] < other[1] + other[3] and other[1] < box[1] + box[3]), (chart.title, p.label)
            boxes.append(box)
    orr = next(c for c in charts if c.title.startswith("Overall response rate"))
    assert sorted(p.label for p in orr.points if p.label) == ["84.6%", "89%", "97.9%", "97.9%", "98%", "98%"]
    assert labelled >= 10
