"""Give the headings of posts and pages saved before anchors existed their ids, and
fill each post's table of contents. Only body_html and toc change (no updated_at)."""

from django.db import migrations

from pressbox.lib.markup import anchor_headings


def anchor_all(apps, schema_editor):
    for name in ("Post", "Page"):
        model = apps.get_model("posts", name)
        rows = model.objects.only("pk", "body_html").iterator(chunk_size=500)
        for row in rows:
            markup, toc = anchor_headings(row.body_html)
            changes = {"body_html": markup}
            if name == "Post":
                changes["toc"] = toc
            model.objects.filter(pk=row.pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [("posts", "0005_post_toc")]

    operations = [migrations.RunPython(anchor_all, migrations.RunPython.noop)]
