-- Per-step counters of the latest run: seen, kept, dropped, seconds
select step, seen, kept, dropped, round(seconds, 2) as seconds, dropped_by_reason
from step_stats
where run_id = (select max(run_id) from runs)
order by step
