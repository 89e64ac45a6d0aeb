-- Current articles, with the day each is counted on and the outlet it came from.
-- Reads the DuckDB table, not the lake: which version is current, dup_of and
-- near_dup_group are decided at load time and live only there.
with current_articles as (
    select * from main.articles
),

dated as (
    select
        *,
        case
            when published_at is not null then cast(published_at as date)
            when page_date is not null then page_date
            else cast(ingested_at as date)
        end as day,
        case
            when published_at is not null then 'published_at'
            when page_date is not null then 'page_date'
            else 'ingested_at'
        end as day_source
    from current_articles
),

labelled as (
    select
        doc_id,
        version,
        source_path,
        run_id,
        format,
        coalesce(language, 'und') as language,
        title,
        n_words,
        coalesce(len(paragraphs), 0) as lines_kept,
        -- `site` is the stable key (URL host, sidecar site, else input folder); `outlet` is what a reader
        -- recognises (the name the page prints), falling back to the site
        coalesce(nullif(site, ''), nullif(site_name, ''), 'unknown') as site,
        coalesce(nullif(trim(site_name), ''), nullif(site, ''), 'unknown') as outlet,
        day,
        day_source,
        published_at,
        ingested_at,
        dup_of,
        near_dup_group
    from dated
)

select * from labelled
