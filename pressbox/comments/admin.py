from django.contrib import admin

from pressbox.comments.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["author_name", "post", "status", "created_at", "status_reason"]
    list_filter = ["status", "created_at"]
    search_fields = ["author_name", "author_email", "body", "post__title"]
    raw_id_fields = ["post", "parent", "user"]
    date_hierarchy = "created_at"
    actions = ["approve", "mark_spam", "trash"]
    readonly_fields = ["ip_address", "user_agent", "status_reason"]

    @admin.action(description="Approve selected comments")
    def approve(self, request, queryset):
        queryset.update(status=Comment.Status.APPROVED)

    @admin.action(description="Mark selected comments as spam")
    def mark_spam(self, request, queryset):
        queryset.update(status=Comment.Status.SPAM)

    @admin.action(description="Move selected comments to the trash")
    def trash(self, request, queryset):
        queryset.update(status=Comment.Status.TRASH)
