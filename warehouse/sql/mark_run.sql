-- A run whose data checks failed stays loaded (the next run must not reload its files)
-- but says so in `runs`, where operators and dashboards look.
update runs set status = $status where run_id = $run_id;
