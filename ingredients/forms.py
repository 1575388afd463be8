from django import forms
from django.utils.translation import gettext_lazy as _

from domain import uploads
from skincare.core import intake

from .models import PRODUCT_CATEGORIES


class ScanForm(forms.Form):
    photo = forms.ImageField(
        required=False, label=_("Photo"), help_text=_("A sharp photo of the ingredient list (max 10 MB).")
    )
    text = forms.CharField(
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("Ingredients: Aqua (Water), Glycerin, ...")}),
        label=_("Text"),
        help_text=_("Or paste the ingredient list."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("photo") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Add a photo of the label or paste the ingredient list."))
        photo = data.get("photo")
        if photo and photo.size > intake.max_bytes():
            raise forms.ValidationError(intake.error(uploads.FILE_TOO_LARGE).detail)
        return data


class ProductSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Search"))
    category = forms.ChoiceField(required=False, choices=[("", _("All categories")), *PRODUCT_CATEGORIES])
