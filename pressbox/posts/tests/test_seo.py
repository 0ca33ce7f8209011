"""What search engines and share cards read in every page's <head>: canonical link, meta
description, Open Graph, Twitter card and JSON-LD."""

import json
from datetime import UTC, datetime

import pytest

from pressbox.accounts.factories import AuthorProfileFactory
from pressbox.comments.factories import CommentFactory
from pressbox.lib.tests.html import select, select_one
from pressbox.media.factories import MediaFactory
from pressbox.posts.factories import CategoryFactory, PageFactory, PostFactory, TagFactory
from pressbox.posts.models import Post

MAY_14 = datetime(2024, 5, 14, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://blog.example"


@pytest.fixture
def post(db):
    """Two co-authors, a nested category, two tags."""
    umer = AuthorProfileFactory(user__username="umer", display_name="Umer").user
    sara = AuthorProfileFactory(user__username="sara", display_name="Sara").user
    fitness = CategoryFactory(name="Fitness", slug="fitness")
    return PostFactory(
        title="Five Moves for Stronger Knees",
        slug="stronger-knees",
        published_at=MAY_14,
        excerpt="Knees, made stronger.",
        authors=[umer, sara],
        categories=[CategoryFactory(name="Knees", slug="knees", parent=fitness)],
        tags=[TagFactory(name="Legs", slug="legs"), TagFactory(name="Rehab", slug="rehab")],
    )


def meta(html, key):
    """The content of every <meta property|name=key>, in order."""
    return [
        m.attrs["content"]
        for m in select(html, "meta")
        if key in (m.attrs.get("property"), m.attrs.get("name"))
    ]


def canonical(html):
    return [link.attrs["href"] for link in select(html, "link", rel="canonical")]


def jsonld(html):
    scripts = select(html, "script", type="application/ld+json")
    assert len(scripts) == 1 and scripts[0].inside("head")
    return json.loads(scripts[0].text)


def graph(html, kind):
    return next(node for node in jsonld(html)["@graph"] if node["@type"] == kind)


def test_post_page_has_an_absolute_canonical_description_and_open_graph(client, post):
    html = client.get("/2024/05/stronger-knees/").text
    url = "https://blog.example/2024/05/stronger-knees/"
    assert canonical(html) == [url]
    assert meta(html, "description") == ["Knees, made stronger."]
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == ["Five Moves for Stronger Knees"]
    assert meta(html, "og:url") == [url]
    assert meta(html, "og:site_name") == ["Pressbox"]
    assert meta(html, "og:description") == ["Knees, made stronger."]
    assert meta(html, "article:published_time") == ["2024-05-14T09:30:00+00:00"]
    assert meta(html, "article:modified_time") == [post.updated_at.isoformat(timespec="seconds")]
    assert meta(html, "article:author") == [
        "https://blog.example/author/umer/",
        "https://blog.example/author/sara/",
    ]
    assert meta(html, "article:section") == ["Knees"]
    assert meta(html, "article:tag") == ["Legs", "Rehab"]
    assert meta(html, "twitter:card") == ["summary"]
    assert meta(html, "og:image") == []


def test_featured_image_is_the_share_image_with_its_size_and_alt(client, post):
    post.featured_image = MediaFactory(alt_text="A squat rack")
    post.save()
    html = client.get("/2024/05/stronger-knees/").text
    [image] = meta(html, "og:image")
    assert image.startswith("https://blog.example/media/uploads/") and image.endswith(".jpg")
    assert meta(html, "og:image:width") == ["1200"]
    assert meta(html, "og:image:height") == ["800"]
    assert meta(html, "og:image:alt") == ["A squat rack"]
    assert meta(html, "twitter:card") == ["summary_large_image"]
    assert graph(html, "BlogPosting")["image"]["url"] == image


def test_seo_description_wins_and_is_escaped_in_its_attribute(client, db):
    post = PostFactory(excerpt="Ignored.", seo_description='Squats "done right" <b>&</b> more')
    response = client.get(post.get_absolute_url())
    assert meta(response.text, "description") == ['Squats "done right" <b>&</b> more']
    assert 'content="Squats &quot;done right&quot; &lt;b&gt;&amp;&lt;/b&gt; more"' in response.text


def test_blog_posting_names_every_co_author_in_order_with_url_and_image(client, post):
    html = client.get("/2024/05/stronger-knees/").text
    posting = graph(html, "BlogPosting")
    url = "https://blog.example/2024/05/stronger-knees/"
    assert posting["headline"] == "Five Moves for Stronger Knees"
    assert (posting["url"], posting["mainEntityOfPage"]["@id"]) == (url, url)
    assert posting["datePublished"] == "2024-05-14T09:30:00+00:00"
    assert posting["dateModified"] == post.updated_at.isoformat(timespec="seconds")
    assert posting["wordCount"] == post.word_count
    assert (posting["articleSection"], posting["keywords"]) == (["Knees"], ["Legs", "Rehab"])
    authors = posting["author"]
    assert [(a["@type"], a["name"], a["url"]) for a in authors] == [
        ("Person", "Umer", "https://blog.example/author/umer/"),
        ("Person", "Sara", "https://blog.example/author/sara/"),
    ]
    umer = post.authors.get(username="umer")
    assert authors[0]["image"] == "https://blog.example" + umer.profile.avatar_url
    assert posting["publisher"] == {
        "@type": "Organization",
        "name": "Pressbox",
        "url": "https://blog.example/",
    }


def test_breadcrumbs_go_home_then_the_category_below_its_parent_then_the_post(client, post):
    html = client.get("/2024/05/stronger-knees/").text
    crumbs = graph(html, "BreadcrumbList")["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Pressbox", "https://blog.example/"),
        (2, "Fitness", "https://blog.example/category/fitness/"),
        (3, "Knees", "https://blog.example/category/fitness/knees/"),
        (4, "Five Moves for Stronger Knees", "https://blog.example/2024/05/stronger-knees/"),
    ]


def test_a_title_with_a_closing_script_tag_stays_inside_the_json(client, db):
    title = '</script><script>alert("x")</script> & more'
    post = PostFactory(title=title)
    html = client.get(post.get_absolute_url()).text
    assert "<script>alert" not in html
    assert graph(html, "BlogPosting")["headline"] == title
    assert meta(html, "og:title") == [title]


def test_comment_page_is_its_own_canonical_address(client, post, site_settings):
    site_settings.comments_per_page = 1
    site_settings.save()
    CommentFactory.create_batch(2, post=post)
    html = client.get("/2024/05/stronger-knees/comment-page-2/").text
    url = "https://blog.example/2024/05/stronger-knees/comment-page-2/"
    assert canonical(html) == [url] and meta(html, "og:url") == [url]
    assert graph(html, "BlogPosting")["url"] == "https://blog.example/2024/05/stronger-knees/"


def test_archive_pages_are_canonical_with_their_page_number(client, post, site_settings):
    site_settings.posts_per_page = 1
    site_settings.save()
    PostFactory(categories=[post.categories.get()], published_at=datetime(2024, 1, 1, tzinfo=UTC))
    html = client.get("/category/fitness/knees/page/2/").text
    assert canonical(html) == ["https://blog.example/category/fitness/knees/page/2/"]
    assert meta(html, "og:type") == ["website"]
    assert canonical(client.get("/page/2/").text) == ["https://blog.example/page/2/"]


def test_category_archive_is_described_by_its_description_else_the_tagline(client, post):
    fitness = post.categories.get().parent
    fitness.description = "Training for everyone."
    fitness.save()
    assert meta(client.get("/category/fitness/").text, "description") == ["Training for everyone."]
    assert meta(client.get("/tag/legs/").text, "description") == ["Just another blog"]


def test_search_results_are_kept_out_of_the_index(client, post):
    html = client.get("/", {"s": "knees"}).text
    assert meta(html, "robots") == ["noindex, follow"]
    assert canonical(html) == []


def test_home_page_describes_the_site_and_its_search(client, post):
    html = client.get("/").text
    assert canonical(html) == ["https://blog.example/"]
    site = jsonld(html)
    assert (site["@type"], site["name"], site["url"]) == (
        "WebSite",
        "Pressbox",
        "https://blog.example/",
    )
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "https://blog.example/?s={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"


def test_page_is_a_web_page_with_an_absolute_canonical(client, db):
    PageFactory(title="About me", slug="about", body="I coach **knees**.")
    html = client.get("/about/").text
    assert canonical(html) == ["https://blog.example/about/"]
    page = jsonld(html)
    assert (page["@type"], page["name"], page["url"]) == (
        "WebPage",
        "About me",
        "https://blog.example/about/",
    )
    assert meta(html, "description") == ["I coach knees."]
    assert meta(html, "og:type") == ["website"]


def test_a_draft_seen_through_its_preview_link_is_not_indexed(client, db):
    from pressbox.posts.views.preview import preview_url

    draft = PostFactory(status=Post.Status.DRAFT)
    html = client.get(preview_url(draft)).text
    assert meta(html, "robots") == ["noindex, follow"]
    assert select_one(html, "h1").text == draft.title
