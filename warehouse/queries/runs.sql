-- The last 20 runs: files seen, new, unchanged, articles written, rejected
select run_id, started_at, round(date_diff('millisecond', started_at, finished_at) / 1000.0, 1) as seconds,
       files_seen, files_new, files_unchanged, articles_written, rejected, status
from runs
order by started_at desc
limit 20
