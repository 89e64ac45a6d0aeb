-- Warehouse tables. Everything here can be rebuilt from the Parquet lake (news-etl rebuild).
--
-- The tables that grow with the corpus (article_versions, articles, manifest, site_memory) declare
-- no primary key: DuckDB keeps a key's index (ART) in memory, outside what it can spill, and at 1M
-- articles the indexes of articles and article_versions alone held 102 MB of the load's 256 MB
-- limit, with the manifest's still to come (the load ran out of memory). Their keys are kept by the
-- load (it deletes a document's current row before inserting the new one, and merges the manifest
-- and site_memory on their keys) and checked after every load (warehouse/sql/checks.sql).
--
-- `paragraphs` is computed from `body` when read (a virtual column), not stored: `body` is the
-- paragraphs joined by one blank line, and a paragraph never holds a line break (tasks/process.py),
-- so splitting it gives the same list. Stored, the list was a second copy of every article's text
-- in both tables: at 100k articles it made the load's commit 15.6 s instead of 6.7 s and the file
-- 1.81 GB instead of 1.24 GB. The lake keeps the list (warehouse/loader.py migrates older files).

create table if not exists article_versions (
    doc_id varchar not null,
    version integer not null,
    source_path varchar not null,
    record_index integer not null,
    source_sha256 varchar,
    format varchar not null,
    encoding varchar,
    language varchar,
    title varchar,
    body varchar not null,
    paragraphs varchar[] generated always as (string_split(body, chr(10) || chr(10))) virtual,
    dateline varchar,
    byline varchar,
    site_name varchar,
    site varchar,
    url varchar,
    page_date date,
    published_at timestamp,
    n_chars integer,
    n_words integer,
    body_sha256 varchar,
    match_key_sha256 varchar,
    minhash uinteger[],
    extra varchar,
    ingested_at timestamp,
    run_id varchar not null
);

-- The current version of every article, with duplicate links derived at load time.
create table if not exists articles (
    doc_id varchar not null,
    version integer not null,
    source_path varchar not null,
    record_index integer not null,
    source_sha256 varchar,
    format varchar not null,
    encoding varchar,
    language varchar,
    title varchar,
    body varchar not null,
    paragraphs varchar[] generated always as (string_split(body, chr(10) || chr(10))) virtual,
    dateline varchar,
    byline varchar,
    site_name varchar,
    site varchar,
    url varchar,
    page_date date,
    published_at timestamp,
    n_chars integer,
    n_words integer,
    body_sha256 varchar,
    match_key_sha256 varchar,
    minhash uinteger[],
    extra varchar,
    ingested_at timestamp,
    run_id varchar not null,
    dup_of varchar,
    near_dup_group varchar
);

create table if not exists removed_lines (
    doc_id varchar not null,
    line_no integer not null,
    text varchar,
    reason varchar not null,
    run_id varchar not null
);

create table if not exists rejects (
    source_path varchar not null,
    record_index integer,
    reason varchar not null,
    detail varchar,
    run_id varchar not null,
    rejected_at timestamp
);

-- Every raw file seen: what the next run compares against before reading anything.
create table if not exists manifest (
    source_path varchar not null,
    root varchar,
    size bigint,
    mtime_ns bigint,
    sha256 varchar,
    status varchar,
    n_articles integer,
    first_seen timestamp,
    last_seen timestamp,
    last_run_id varchar
);

create table if not exists site_memory (
    site varchar not null,
    fingerprint varchar not null,
    n_pages integer not null
);

create table if not exists step_stats (
    run_id varchar not null,
    step varchar not null,
    seen bigint,
    kept bigint,
    dropped bigint,
    dropped_by_reason map(varchar, bigint),
    lines_removed_by_reason map(varchar, bigint),
    seconds double
);

create table if not exists runs (
    run_id varchar primary key,
    started_at timestamp,
    finished_at timestamp,
    files_seen bigint,
    files_new bigint,
    files_unchanged bigint,
    articles_written bigint,
    rejected bigint,
    status varchar
);

-- LSH bands of every current article's MinHash signature (see near_duplicates.sql).
create table if not exists lsh_bands (
    doc_id varchar not null,
    band utinyint not null,
    bucket ubigint not null
);

-- Every version of every article, oldest first, with the one `articles` shows marked.
create view if not exists article_history as
select v.*, a.doc_id is not null as is_current
from article_versions as v
left join articles as a on a.doc_id = v.doc_id and a.version = v.version;
