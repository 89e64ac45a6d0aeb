"""news-etl: batch ETL for raw news pages."""
