from django.contrib import admin

from informeren.models import Organisatie, Samenwerkingsverband, School, Thema


@admin.register(Samenwerkingsverband)
class SamenwerkingsverbandAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sector"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "brin", "vestiging", "school_type", "gemeente", "samenwerkingsverband"]
    list_filter = ["school_type", "gemeente", "samenwerkingsverband"]
    search_fields = ["name", "brin", "place"]


@admin.register(Organisatie)
class OrganisatieAdmin(admin.ModelAdmin):
    list_display = ["name", "soort", "national"]
    list_filter = ["soort", "national"]
    search_fields = ["name"]


@admin.register(Thema)
class ThemaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
