-- Runs that brought new or changed files after the marts were last rebuilt (a run whose analysis
-- failed after its load committed, or a refresh whose marts did not fit): their articles are in the
-- warehouse and not yet in the marts. Run ids sort by start time (flows/etl.py new_run_id).
with last_refresh as (
    select coalesce(max(after_run_id), '') as after_run_id from marts_refreshed
)

select count(*) as runs_not_in_marts
from runs, last_refresh
where runs.files_new > 0
  and runs.run_id > last_refresh.after_run_id
