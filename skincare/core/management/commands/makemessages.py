"""`makemessages` that also extracts the domain's words for people.

The Django-free `domain/` package marks its English msgids with the no-op `N_()` (domain/i18n.py), since it
cannot import Django's gettext. This command is Django's own with `--keyword=N_` (and `NC_`, with a context)
added to xgettext, so
`manage.py makemessages -l fr` puts those strings in the catalogue like any `gettext_noop` string; the
Django layer translates them where they are shown (`gettext(vocab.concern_label(key))`, lazy choices).
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_", "--keyword=NC_:1c,2"]
