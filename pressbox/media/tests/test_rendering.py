"""Known library images in Markdown get size, lazy loading, srcset and a WebP <source>."""

from pressbox.lib.markup import render_comment, render_markdown
from pressbox.media.factories import MediaFactory

SIZES = "(max-width: 70ch) 100vw, 70ch"


def with_variants(**fields):
    media = MediaFactory(**fields)
    stem = media.file.name.rsplit(".", 1)[0]
    media.variants = [
        {"width": w, "height": w * 2 // 3, "format": fmt, "name": f"{stem}-{w}w.{ext}", "bytes": 1}
        for w in (320, 640)
        for fmt, ext in (("jpeg", "jpg"), ("webp", "webp"))
    ]
    media.save()
    return media, f"/media/{stem}"


def test_known_image_becomes_a_picture_with_webp_source_and_srcset(db):
    media, stem = with_variants()
    html = render_markdown(f"![A loaded barbell]({media.url})")
    assert html == (
        f'<p><picture><source type="image/webp" srcset="{stem}-320w.webp 320w, '
        f'{stem}-640w.webp 640w" sizes="{SIZES}">'
        f'<img src="{media.url}" alt="A loaded barbell" width="1200" height="800" '
        f'loading="lazy" decoding="async" srcset="{stem}-320w.jpg 320w, {stem}-640w.jpg 640w, '
        f'{media.url} 1200w" sizes="{SIZES}"></picture></p>\n'
    )


def test_image_without_variants_yet_still_gets_its_size_and_lazy_loading(db):
    media = MediaFactory()
    html = render_markdown(f"![Rack]({media.url})")
    assert html == (
        f'<p><img src="{media.url}" alt="Rack" width="1200" height="800" loading="lazy" '
        'decoding="async"></p>\n'
    )


def test_unknown_and_outside_images_are_left_as_written(db, django_assert_num_queries):
    markdown = "![a](/media/uploads/2020/01/gone.jpg) ![b](https://elsewhere.example/b.png)"
    with django_assert_num_queries(1):
        html = render_markdown(markdown)
    assert html == (
        '<p><img src="/media/uploads/2020/01/gone.jpg" alt="a"> '
        '<img src="https://elsewhere.example/b.png" alt="b"></p>\n'
    )


def test_all_images_of_a_body_are_found_in_one_query(db, django_assert_num_queries):
    images = [with_variants()[0] for _ in range(5)]
    markdown = "\n\n".join(f"![Photo {n}]({m.url})" for n, m in enumerate(images))
    with django_assert_num_queries(1):
        html = render_markdown(markdown)
    assert html.count("<picture>") == 5


def test_body_without_library_images_makes_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        render_markdown("Just words, and ![a](/static/pressbox/logo.png).")


def test_full_site_address_of_an_image_is_recognised(db, settings):
    media, _stem = with_variants()
    html = render_markdown(f"![Rack]({settings.SITE_URL}{media.url})")
    assert "<picture>" in html and 'width="1200"' in html


def test_authors_own_picture_and_srcset_are_left_alone(db):
    media, _stem = with_variants()
    own_srcset = f'<img src="{media.url}" srcset="{media.url} 2x" alt="Mine">'
    own_picture = f'<picture><img src="{media.url}" alt="Theirs"></picture>'
    html = render_markdown(own_srcset + "\n\n" + own_picture)
    assert 'width="' not in html
    assert html.count("<picture>") == 1


def test_alt_text_stays_escaped_and_scripts_stay_out(db):
    media, _stem = with_variants()
    html = render_markdown(
        f'<img src="{media.url}" alt="&quot; onerror=&quot;alert(1)" onload="x()">'
    )
    assert "onerror=" not in html.replace("&quot; onerror=&quot;", "")
    assert "onload" not in html
    assert 'alt="&quot; onerror=&quot;alert(1)"' in html


def test_comments_never_show_images(db):
    media, _stem = with_variants()
    assert "<img" not in render_comment(f"![Rack]({media.url})")
