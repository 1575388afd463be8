"""Beat schedule of the accounts app (registered by `manage.py setup_project`)."""

SCHEDULE = {
    "accounts: purge expired OTP codes": {"task": "accounts.tasks.purge_expired_otp_codes", "every": 3600},
    "accounts: flush expired refresh tokens": {
        "task": "accounts.tasks.flush_expired_tokens",
        "crontab": {"minute": "10", "hour": "4"},
    },
}
