from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from informeren.models import Organisatie, Samenwerkingsverband, School, SwvGemeente, Thema
from steunpunt.cache import content_changed


class ContentAdmin[M: Model](admin.ModelAdmin[M]):
    """What public pages show: a change here makes kept fragments stale (steunpunt/cache.py)."""

    def save_related(
        self,
        request: HttpRequest,
        form: ModelForm[M],
        formsets: list[BaseFormSet[Any]],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        content_changed()  # after the many-to-many fields too

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        super().delete_model(request, obj)
        content_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        super().delete_queryset(request, queryset)
        content_changed()


@admin.register(Samenwerkingsverband)
class SamenwerkingsverbandAdmin(ContentAdmin[Samenwerkingsverband]):
    list_display = ["code", "name", "sector"]


@admin.register(SwvGemeente)
class SwvGemeenteAdmin(ContentAdmin[SwvGemeente]):
    """Which SWV a gemeente belongs to, per sector (the question form lists these gemeenten)."""

    list_display = ["gemeente", "sector", "samenwerkingsverband"]
    list_filter = ["sector", "samenwerkingsverband"]


@admin.register(School)
class SchoolAdmin(ContentAdmin[School]):
    list_display = ["name", "brin", "vestiging", "school_type", "gemeente", "samenwerkingsverband"]
    list_filter = ["school_type", "gemeente", "samenwerkingsverband"]
    search_fields = ["name", "brin", "place"]


@admin.register(Organisatie)
class OrganisatieAdmin(admin.ModelAdmin[Organisatie]):
    """To look at only: an organisation is public text, changed under four eyes in
    the redactie (/redactie/organisaties/), never here past the second person."""

    list_display = ["name", "soort", "national"]
    list_filter = ["soort", "national"]
    search_fields = ["name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Organisatie | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Organisatie | None = None) -> bool:
        return False


@admin.register(Thema)
class ThemaAdmin(ContentAdmin[Thema]):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
