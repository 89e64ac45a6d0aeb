-- Boilerplate removed by site and reason: which sites leak the most chrome.
-- A site's lines are the lines kept (title + paragraphs) plus the lines removed;
-- share_of_lines is one reason's share of them, site_share_removed all reasons' share.
with removed as (
    select site, reason, count(*) as lines_removed
    from stg_removed_lines
    group by site, reason
),

site_removed as (
    select site, sum(lines_removed) as lines_removed_all
    from removed
    group by site
),

site_kept as (
    select site, count(*) as n_articles, sum(lines_kept) as lines_kept
    from stg_articles
    group by site
),

by_reason as (
    select
        removed.site,
        removed.reason,
        site_kept.n_articles,
        removed.lines_removed,
        cast(site_kept.lines_kept + site_removed.lines_removed_all as bigint) as lines_total,
        removed.lines_removed / (site_kept.lines_kept + site_removed.lines_removed_all) as share_of_lines,
        site_removed.lines_removed_all / (site_kept.lines_kept + site_removed.lines_removed_all) as site_share_removed,
        removed.lines_removed / site_kept.n_articles as lines_removed_per_article
    from removed
    join site_removed using (site)
    join site_kept using (site)
)

select * from by_reason
order by site_share_removed desc, site, lines_removed desc, reason
