-- Tables the models step (warehouse/models.py) writes, not loaded from the lake. All follow from
-- `articles`: `news-etl rebuild` need not restore them, the next refresh does.

-- Content terms of each current article version (tasks/terms.py): the heaviest
-- MAX_TERMS_PER_DOC match-key terms, stopwords dropped. Updated incrementally.
create table if not exists article_terms (
    doc_id varchar not null,
    version integer not null,
    term varchar not null,
    tf integer not null,          -- occurrences in title + body
    title_tf integer not null,    -- occurrences in the title
    term_rank smallint not null   -- 1 = the article's heaviest term (title counted three times)
);

-- In how many current articles each term is: kept in step with article_terms by the refresh
-- (story grouping's IDF), recounted when it does not add up.
create table if not exists term_df (
    term varchar not null,
    df bigint not null
);

-- Which story each current article belongs to (warehouse/stories.py). Extended by each refresh
-- (a run's new articles join the stories); replaced whole, inside the refresh transaction, when
-- everything is regrouped (first run, a run bringing half the articles, full_stories=True).
create table if not exists story_members (
    story_id varchar not null,
    doc_id varchar not null,
    version integer not null,
    is_anchor boolean not null,
    best_similarity double,
    label varchar               -- the story's five heaviest terms (same on every member)
);

-- The last committed run the marts were rebuilt after (one row, written in the marts' own
-- transaction): a run that committed new files later shows in warehouse/sql/marts_behind.sql.
create table if not exists marts_refreshed (
    after_run_id varchar,
    refreshed_at timestamp
);

create schema if not exists marts;
