"""The 404 page: the theme's own "Page not found", with status 404."""

from pytest_django.asserts import assertContains

from pressbox.lib.tests.html import select, select_one


def test_unknown_address_shows_the_themed_404_page(client, site_settings):
    site_settings.title = "Umer's Fitness"
    site_settings.save()
    response = client.get("/no/such/address/")
    assert response.status_code == 404
    assert select_one(response.text, "h1").text == "Page not found"
    assertContains(response, "Umer&#x27;s Fitness", status_code=404)
    assert select(response.text, "form", role="search")
    assert select(response.text, "link", rel="stylesheet")
