-- Boilerplate removed by site and reason: which sites leak the most chrome.
-- A site's lines are its articles' paragraphs plus every line removed from them (lines taken
-- into the title, dateline and byline fields included); share_of_lines is one chrome reason's
-- share of them, site_share_removed all chrome reasons' share. Field lines are not chrome and
-- get no row.
with all_removed as (
    select site, reason, is_chrome, count(*) as lines_removed
    from stg_removed_lines
    group by site, reason, is_chrome
),

removed as (
    select site, reason, lines_removed from all_removed where is_chrome
),

site_removed as (
    select
        site,
        sum(lines_removed) as lines_removed_all,
        coalesce(sum(lines_removed) filter (where is_chrome), 0) as chrome_removed
    from all_removed
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
        site_removed.chrome_removed / (site_kept.lines_kept + site_removed.lines_removed_all) as site_share_removed,
        removed.lines_removed / site_kept.n_articles as lines_removed_per_article
    from removed
    join site_removed using (site)
    join site_kept using (site)
)

select * from by_reason
order by site_share_removed desc, site, lines_removed desc, reason
