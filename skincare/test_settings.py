"""Test settings: the same settings module, with test-speed tweaks only.

With REDIS_URL set (CI), the cache and channel layer are the real Redis; otherwise in-memory.
Celery runs eagerly in unit tests; tests marked `live` start a real worker process instead.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "t" * 40)
os.environ.setdefault("MEDIA_MASTER_KEY", "dGVzdC1tZWRpYS1tYXN0ZXIta2V5LTMyLWJ5dGVzISE=")  # 32 bytes, tests only

from .settings import *  # noqa: F403,E402
from .settings import REDIS_URL  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = tempfile.mkdtemp(prefix="skincare-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "accounts.sms.LocmemSmsBackend"
STORAGES = {
    "default": {
        "BACKEND": "privacy.storage.EncryptedStorage",
        "OPTIONS": {"inner": {"BACKEND": "django.core.files.storage.FileSystemStorage"}},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "skincare.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{os.getpid()}",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

STATIC_ROOT = tempfile.mkdtemp(prefix="skincare-test-static-")

# A file-backed SQLite test database (one per test process), so that a real Celery worker started by
# a `live` test shares it. PostgreSQL needs nothing: pytest-django's test database is a real one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.mkdtemp(prefix="skincare-test-db-"), "test.sqlite3")}  # noqa: F405

# Close connections after each request: live-server threads and killed subprocesses must not keep
# the PostgreSQL test database busy at teardown. The pool is tested through the real server and workers
# (live tests run the production settings); in-process tests use plain connections, which pytest-django's
# per-test transactions and database teardown expect.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)  # noqa: F405
