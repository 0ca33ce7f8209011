"""The search_document table, and the full-text index over it for the database in use:
an FTS5 table kept in step by triggers on SQLite, a generated tsvector column with a
GIN index on PostgreSQL. Django's model knows neither, so the SQL is written here."""

import django.db.models.deletion
from django.db import migrations, models

SQLITE = [
    # External content: the text lives in search_document once; FTS5 keeps the index.
    """CREATE VIRTUAL TABLE search_document_fts USING fts5(
        title, summary, body,
        content='search_document', content_rowid='post_id',
        tokenize='porter unicode61 remove_diacritics 2',
        prefix='2 3'
    )""",
    """CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
        INSERT INTO search_document_fts(rowid, title, summary, body)
        VALUES (new.post_id, new.title, new.summary, new.body);
    END""",
    """CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
        INSERT INTO search_document_fts(search_document_fts, rowid, title, summary, body)
        VALUES ('delete', old.post_id, old.title, old.summary, old.body);
    END""",
    """CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
        INSERT INTO search_document_fts(search_document_fts, rowid, title, summary, body)
        VALUES ('delete', old.post_id, old.title, old.summary, old.body);
        INSERT INTO search_document_fts(rowid, title, summary, body)
        VALUES (new.post_id, new.title, new.summary, new.body);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TABLE IF EXISTS search_document_fts",
]
POSTGRESQL = [
    # Weights: A title, B summary (the excerpt, or the body's first words), C body. The
    # text is plain (tags were stripped before): a "<" left in it is a character the
    # author wrote, so it must not make the parser skip the words after it. Then the
    # post's id buckets of 2**10 to 2**16 ids (`~10.97`), with which the GIN index alone
    # finds the newest matches (pressbox/search/backends/postgres.py).
    """ALTER TABLE search_document ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, replace(title, '<', ' ')), 'A')
        || setweight(to_tsvector('english'::regconfig, replace(summary, '<', ' ')), 'B')
        || setweight(to_tsvector('english'::regconfig, replace(body, '<', ' ')), 'C')
        || array_to_tsvector(ARRAY[
            '~10.' || (post_id >> 10)::text, '~12.' || (post_id >> 12)::text,
            '~14.' || (post_id >> 14)::text, '~16.' || (post_id >> 16)::text
        ])
    ) STORED""",
    # Vectors stay in the row (compressed), so ranking a candidate reads no TOAST.
    "ALTER TABLE search_document ALTER COLUMN vector SET STORAGE MAIN",
    "CREATE INDEX search_document_vector ON search_document USING gin (vector)",
    # Every lexeme some post holds, so that a prefix expands to real words.
    'CREATE TABLE search_lexeme (lexeme text COLLATE "C" PRIMARY KEY)',
    """CREATE FUNCTION search_lexeme_collect() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_lexeme (lexeme)
        SELECT DISTINCT word FROM new_rows, unnest(tsvector_to_array(new_rows.vector)) word
        WHERE left(word, 1) <> '~'
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_lexeme_on_insert AFTER INSERT ON search_document
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION search_lexeme_collect()""",
    """CREATE TRIGGER search_lexeme_on_update AFTER UPDATE ON search_document
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION search_lexeme_collect()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS search_lexeme_on_update ON search_document",
    "DROP TRIGGER IF EXISTS search_lexeme_on_insert ON search_document",
    "DROP FUNCTION IF EXISTS search_lexeme_collect()",
    "DROP TABLE IF EXISTS search_lexeme",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS vector",
]


def run(statements):
    def operation(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("posts", "0004_revisions_seo_featured_image_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="Document",
            fields=[
                (
                    "post",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="posts.post",
                    ),
                ),
                ("title", models.TextField()),
                ("summary", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
            ],
        ),
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
