"""Index the posts that were published before search existed."""

from django.db import migrations

from pressbox.search.index import document_fields

LIVE = ("published", "scheduled")


def index_existing(apps, schema_editor):
    Post = apps.get_model("posts", "Post")
    Document = apps.get_model("search", "Document")
    live = Post.objects.filter(status__in=LIVE).order_by("pk")
    last = 0
    while rows := list(
        live.filter(pk__gt=last).values_list("pk", "title", "summary", "body_html")[:500]
    ):
        Document.objects.bulk_create(
            Document(post_id=pk, **document_fields(title=title, summary=summary, body_html=html))
            for pk, title, summary, html in rows
        )
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(index_existing, migrations.RunPython.noop)]
