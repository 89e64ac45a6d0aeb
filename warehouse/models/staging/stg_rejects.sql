-- Every input that could not give an article, from the Parquet lake.
with lake_rejects_all as (
    select source_path, record_index, reason, detail, run_id, rejected_at from lake_rejects
)

select * from lake_rejects_all
