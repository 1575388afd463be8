"""The site's form renderer: every field through one accessible template (skincare/core/templates/forms/field.html)."""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    field_template_name = "forms/field.html"
