"""Page forms (the API validates with serializers; both call the same services)."""

from __future__ import annotations

from django import forms

from .models import ShareReport


class LogForm(forms.Form):
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    rating = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, "1 · bad"), (2, "2"), (3, "3 · okay"), (4, "4"), (5, "5 · great")],
        label="How does your skin feel today?",
    )
    notes = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    analysis = forms.ChoiceField(required=False, label="Attach an analysis")
    photo = forms.FileField(
        required=False,
        label="…or a new photo",
        help_text="It is analysed like an upload.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    consent = forms.BooleanField(
        required=False,
        label="I agree that my photo is analysed on this server (needed once, before the first photo).",
    )

    def __init__(self, *args, analyses=(), consent_given: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if consent_given:
            del self.fields["consent"]
        self.fields["analysis"].choices = [("", "—")] + [
            (str(a.pk), f"{a.created_at:%d %b %Y %H:%M} · {a.overall_score if a.overall_score is not None else '…'}")
            for a in analyses
        ]


class ShareReportForm(forms.Form):
    reason = forms.ChoiceField(choices=ShareReport.Reason.choices, widget=forms.RadioSelect)
    details = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class MetricForm(forms.Form):
    metric = forms.CharField(
        max_length=100,
        label="What do you measure?",
        help_text="A name of your own, e.g. skin clarity, hydration feel, hours of sleep.",
        widget=forms.TextInput(attrs={"list": "metric-names", "autocomplete": "off"}),
    )
    value = forms.FloatField(label="Value", help_text="On your own scale, e.g. 0-10.")
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
