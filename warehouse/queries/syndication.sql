-- Exact and near-duplicate groups carried by the most outlets
select group_kind, group_id, n_articles, n_outlets, outlets, first_seen, last_seen, title
from marts.syndication
order by n_outlets desc, n_articles desc, group_kind, group_id
limit 100
