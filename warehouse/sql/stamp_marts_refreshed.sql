-- The marts now show the warehouse as of its last committed run (warehouse/models.py _refresh_marts,
-- in the marts' own transaction): warehouse/sql/marts_behind.sql compares later runs with it.
delete from marts_refreshed;
insert into marts_refreshed select max(run_id), current_timestamp from runs;
