-- One row a committed run, from the Parquet lake.
with lake_runs_all as (
    select run_id, started_at, finished_at, files_seen, files_new, files_unchanged,
           articles_written, rejected, status
    from lake_runs
)

select * from lake_runs_all
