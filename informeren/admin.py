from django.contrib import admin

from informeren.models import Organisatie, Samenwerkingsverband, School, SwvGemeente, Thema
from steunpunt.cache import content_changed


class ContentAdmin(admin.ModelAdmin):
    """What public pages show: a change here makes kept fragments stale (steunpunt/cache.py)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        content_changed()  # after the many-to-many fields too

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        content_changed()


@admin.register(Samenwerkingsverband)
class SamenwerkingsverbandAdmin(ContentAdmin):
    list_display = ["code", "name", "sector"]


@admin.register(SwvGemeente)
class SwvGemeenteAdmin(ContentAdmin):
    """Which SWV a gemeente belongs to, per sector (the question form lists these gemeenten)."""

    list_display = ["gemeente", "sector", "samenwerkingsverband"]
    list_filter = ["sector", "samenwerkingsverband"]


@admin.register(School)
class SchoolAdmin(ContentAdmin):
    list_display = ["name", "brin", "vestiging", "school_type", "gemeente", "samenwerkingsverband"]
    list_filter = ["school_type", "gemeente", "samenwerkingsverband"]
    search_fields = ["name", "brin", "place"]


@admin.register(Organisatie)
class OrganisatieAdmin(admin.ModelAdmin):
    """To look at only: an organisation is public text, changed under four eyes in
    the redactie (/redactie/organisaties/), never here past the second person."""

    list_display = ["name", "soort", "national"]
    list_filter = ["soort", "national"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Thema)
class ThemaAdmin(ContentAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
