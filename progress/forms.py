"""Page forms (the API validates with serializers; both call the same services)."""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ShareReport


class LogForm(forms.Form):
    date = forms.DateField(required=False, label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    rating = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "—"),
            (1, pgettext_lazy("skin rating", "1 · bad")),
            (2, "2"),
            (3, pgettext_lazy("skin rating", "3 · okay")),
            (4, "4"),
            (5, pgettext_lazy("skin rating", "5 · great")),
        ],
        label=_("How does your skin feel today?"),
    )
    notes = forms.CharField(required=False, max_length=5000, label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}))
    analysis = forms.ChoiceField(required=False, label=_("Attach an analysis"))
    photo = forms.FileField(
        required=False,
        label=_("…or a new photo"),
        help_text=_("It is analysed like an upload."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    consent = forms.BooleanField(
        required=False,
        label=_("I agree that my photo is analysed on this server (needed once, before the first photo)."),
    )

    def __init__(self, *args, analyses=(), consent_given: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if consent_given:
            del self.fields["consent"]
        self.fields["analysis"].choices = [("", "—")] + [
            (
                str(a.pk),
                f"{date_format(a.created_at, 'd M Y H:i')} · {a.overall_score if a.overall_score is not None else '…'}",
            )
            for a in analyses
        ]


class ShareReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ShareReport.Reason.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        required=False, max_length=2000, label=_("Details"), widget=forms.Textarea(attrs={"rows": 3})
    )


class MetricForm(forms.Form):
    metric = forms.CharField(
        max_length=100,
        label=_("What do you measure?"),
        help_text=_("A name of your own, e.g. skin clarity, hydration feel, hours of sleep."),
        widget=forms.TextInput(attrs={"list": "metric-names", "autocomplete": "off"}),
    )
    value = forms.FloatField(label=_("Value"), help_text=_("On your own scale, e.g. 0-10."))
    notes = forms.CharField(required=False, max_length=2000, label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}))
    date = forms.DateField(required=False, label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
