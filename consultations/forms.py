"""Page forms (the API validates with serializers; both call the same services)."""

from __future__ import annotations

from django import forms
from django.utils import dateformat
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

# Monday = 0 … Sunday = 6, named by Django's own catalogs in the page's language.
WEEKDAY_CHOICES = sorted(WEEKDAYS_ABBR.items())


class BookForm(forms.Form):
    slot = forms.UUIDField(widget=forms.HiddenInput, label=pgettext_lazy("appointment", "Time"))
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Why do you want to see a dermatologist?"),
        help_text=gettext_lazy("A few words: what you notice, since when, what you tried."),
    )
    share_analysis = forms.ChoiceField(required=False, label=gettext_lazy("Share an analysis (optional)"))
    share_before = forms.ChoiceField(
        required=False, label=gettext_lazy("…or a before/after comparison: the analysis before")
    )
    share_after = forms.ChoiceField(required=False, label=gettext_lazy("and the analysis after"))

    def __init__(self, *args, analyses=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [
            (
                str(a.pk),
                _("%(when)s · score %(score)s")
                % {
                    "when": dateformat.format(a.created_at, "j M Y H:i"),
                    "score": a.overall_score if a.overall_score is not None else "—",
                },
            )
            for a in analyses
        ]
        for name in ("share_analysis", "share_before", "share_after"):
            self.fields[name].choices = choices


class PublishForm(forms.Form):
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=gettext_lazy("From"))
    end_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=gettext_lazy("To"))
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4],
        label=gettext_lazy("Weekdays"),
    )
    day_start = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}), initial="09:00", label=gettext_lazy("Day starts")
    )
    day_end = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}), initial="12:00", label=gettext_lazy("Day ends")
    )
    minutes = forms.IntegerField(
        min_value=10, max_value=240, initial=30, label=gettext_lazy("Minutes per consultation")
    )
    meeting_link = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label=gettext_lazy("Meeting link"),
        help_text=gettext_lazy("Optional: else your default link"),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        label=gettext_lazy("Note or recommendation for the person"),
        help_text=gettext_lazy("They read it in the app."),
    )
    meeting_link = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label=gettext_lazy("Meeting link")
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Reason (optional)"),
    )
