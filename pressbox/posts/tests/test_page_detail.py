"""Pages at /<slug>/, and the site navigation that lists them."""

from pytest_django.asserts import assertContains

from pressbox.lib.tests.html import select, select_one
from pressbox.posts.factories import PageFactory
from pressbox.posts.models import Page
from pressbox.posts.seo import absolute


def test_page_is_served_at_its_slug(client, db):
    PageFactory(title="About me", slug="about", body="I'm a *coach*.")
    response = client.get("/about/")
    assert select_one(response.text, "h1").text == "About me"
    assertContains(response, "<p>I’m a <em>coach</em>.</p>")
    assertContains(response, f'<link rel="canonical" href="{absolute("/about/")}">')


def test_published_pages_are_listed_in_the_navigation_in_menu_order(client, db):
    PageFactory(title="Contact", slug="contact", menu_order=2)
    PageFactory(title="About", slug="about", menu_order=1)
    PageFactory(title="Hidden", slug="hidden", show_in_menu=False)
    PageFactory(title="Draft", slug="draft", status=Page.Status.DRAFT)
    nav = [a for a in select(client.get("/").text, "a") if a.inside("nav")]
    assert [(a.attrs["href"], a.text) for a in nav] == [
        ("/", "Home"),
        ("/about/", "About"),
        ("/contact/", "Contact"),
    ]


def test_current_page_is_marked_in_the_navigation(client, db):
    PageFactory(title="About", slug="about")
    link = [a for a in select(client.get("/about/").text, "a", href="/about/") if a.inside("nav")]
    assert link[0].attrs.get("aria-current") == "page"


def test_draft_page_is_404(client, db):
    PageFactory(slug="soon", status=Page.Status.DRAFT)
    assert client.get("/soon/").status_code == 404
    assert Page.objects.filter(slug="soon").exists()
