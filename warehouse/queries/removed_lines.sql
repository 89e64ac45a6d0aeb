-- Lines removed by reason over the whole warehouse, with an example line
select reason, count(*) as n_lines, count(distinct doc_id) as n_articles, arg_min(text, doc_id) as example
from removed_lines
group by reason
order by n_lines desc, reason
