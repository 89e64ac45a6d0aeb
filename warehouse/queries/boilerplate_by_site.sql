-- Which sites leak the most chrome: share of lines removed, and the top reasons
select site, n_articles, round(site_share_removed, 3) as share_removed,
       string_agg(reason || ' ' || lines_removed, ', ' order by lines_removed desc, reason) as lines_removed_by_reason
from marts.boilerplate_by_site
group by site, n_articles, site_share_removed
order by site_share_removed desc, site
