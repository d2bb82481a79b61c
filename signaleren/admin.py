"""The hub's registry of regions (signaleren/national.py): which region signs with
which key. Received reports are read-only: they are what the region signed."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from signaleren.models import HubRegion, ReportShare, SharedReport
from signaleren.national import key_problem


class HubRegionForm(forms.ModelForm[HubRegion]):
    class Meta:
        model = HubRegion
        fields = ["code", "name", "public_key", "active"]

    def clean_public_key(self) -> str:
        key = str(self.cleaned_data["public_key"]).strip()
        problem = key_problem(key, code=self.instance.code if self.instance.pk else "")
        if problem:
            raise forms.ValidationError(problem)
        return key


@admin.register(HubRegion)
class HubRegionAdmin(admin.ModelAdmin[HubRegion]):
    form = HubRegionForm
    list_display = ["name", "code", "active", "registered_at"]
    search_fields = ["name", "code"]


@admin.register(SharedReport)
class SharedReportAdmin(admin.ModelAdmin[SharedReport]):
    list_display = ["title", "region", "period_start", "period_end", "received_at"]
    list_filter = ["region"]
    readonly_fields = [
        "region",
        "report_id",
        "report_version",
        "title",
        "period_start",
        "period_end",
        "threshold",
        "tables",
        "received_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReportShare)
class ReportShareAdmin(admin.ModelAdmin[ReportShare]):
    """In a region: every attempt to share a report, with the hub's answer (read-only)."""

    list_display = ["report", "attempted_at", "attempted_by", "succeeded", "result"]
    list_filter = ["succeeded"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
