"""
Django settings for shop project - production overrides.
"""
import os

DEBUG = False
ALLOWED_HOSTS = ["shop.example.com", "www.shop.example.com"]
ADMINS = [("Ops", "ops@example.com")]
SERVER_EMAIL = "django@shop.example.com"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "HOST": "pg-shop.example.com",
        "PORT": "6432",
        "CONN_MAX_AGE": 60,
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://10.150.0.7:6379/1",
    }
}

# Celery
CELERY_BROKER_URL = "amqp://shop:secret@rabbit1.example.com:5672/shop"
CELERY_RESULT_BACKEND = "redis://10.150.0.7:6379/2"
CELERY_TASK_SOFT_TIME_LIMIT = 30
CELERY_TIMEZONE = "Europe/Berlin"

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "smtp.example.com"
EMAIL_PORT = 587
EMAIL_USE_TLS = True

INTERNAL_IPS = ["10.150.0.0/16"]
