"""Page forms (the API validates with serializers; both call the same services)."""

from __future__ import annotations

from django import forms

WEEKDAY_CHOICES = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


class BookForm(forms.Form):
    slot = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why do you want to see a dermatologist?",
        help_text="A few words: what you notice, since when, what you tried.",
    )
    share_analysis = forms.ChoiceField(required=False, label="Share an analysis (optional)")
    share_before = forms.ChoiceField(required=False, label="…or a before/after comparison: before")
    share_after = forms.ChoiceField(required=False, label="after")

    def __init__(self, *args, analyses=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [
            (
                str(a.pk),
                f"{a.created_at:%d %b %Y %H:%M} · score {a.overall_score if a.overall_score is not None else '—'}",
            )
            for a in analyses
        ]
        for name in ("share_analysis", "share_before", "share_after"):
            self.fields[name].choices = choices


class PublishForm(forms.Form):
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="From")
    end_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="To")
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAY_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple, initial=[0, 1, 2, 3, 4]
    )
    day_start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), initial="09:00", label="Day starts")
    day_end = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), initial="12:00", label="Day ends")
    minutes = forms.IntegerField(min_value=10, max_value=240, initial=30, label="Minutes per consultation")
    meeting_link = forms.URLField(
        required=False, max_length=500, assume_scheme="https", help_text="Optional: else your default link"
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Note or recommendation for the person",
        help_text="They read it in the app.",
    )
    meeting_link = forms.URLField(required=False, max_length=500, assume_scheme="https")


class CancelForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
