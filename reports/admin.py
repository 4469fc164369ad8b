from django.contrib import admin

from .models import ReferenceFigure


@admin.register(ReferenceFigure)
class ReferenceFigureAdmin(admin.ModelAdmin):
    list_display = ("group", "percent", "as_of", "population", "source")
    list_filter = ("group", "population")
    ordering = ("group", "-as_of")
