from django.contrib import admin

from pressbox.posts.models import Category, Page, Post, PostAuthor, Redirect, SiteSettings, Tag


class PostAuthorInline(admin.TabularInline):
    model = PostAuthor
    extra = 1
    raw_id_fields = ["author"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "display_status", "published_at", "updated_at"]
    list_filter = ["status", "categories", "tags", "published_at"]
    search_fields = ["title", "body", "excerpt"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["categories", "tags"]
    date_hierarchy = "published_at"
    inlines = [PostAuthorInline]

    @admin.display(description="Status")
    def display_status(self, obj: Post) -> str:
        return obj.display_status


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "menu_order", "show_in_menu"]
    list_filter = ["status", "show_in_menu"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "new_path", "created_at"]
    search_fields = ["old_path", "new_path"]


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return not SiteSettings.objects.exists()
