-- Rejected inputs by reason, with an example file and detail
select reason, count(*) as n_rejected, min(source_path) as example, arg_min(detail, source_path) as example_detail
from rejects
group by reason
order by n_rejected desc, reason
