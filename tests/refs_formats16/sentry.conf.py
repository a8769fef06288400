# This file is just Python, with a touch of Django which means
# you can inherit and tweak settings to your hearts content.
# Self-hosted Sentry, platform team -- see https://develop.sentry.dev/self-hosted/

from sentry.conf.server import *  # NOQA

DATABASES = {
    "default": {
        "ENGINE": "sentry.db.postgres",
        "NAME": "sentry",
        "USER": "sentry_app",
        "PASSWORD": "Qp4-sentry-db-Vb72kQ",
        "HOST": "pg-sentry.db.corp.example.net",
        "PORT": "6432",
    }
}

SENTRY_SINGLE_ORGANIZATION = True
SENTRY_OPTIONS["system.event-retention-days"] = 60
SENTRY_OPTIONS["system.secret-key"] = "Qp4-sentry-sk-9fLm2PzRw7Yt"
SENTRY_OPTIONS["system.admin-email"] = "sentry-admins@example.com"

#########
# Redis #
#########
SENTRY_OPTIONS["redis.clusters"] = {
    "default": {
        "hosts": {0: {"host": "10.31.4.21", "password": "", "port": "6379", "db": "0"}}
    }
}

#########
# Queue #
#########
# Moved off Redis to the shared RabbitMQ in 2024.
BROKER_URL = "amqp://sentry:Qp4-sentry-mq-Tq5n@rabbitmq.mq.corp.example.net:5672/sentry"
# BROKER_URL = "redis://:@10.31.4.20:6379/1"

#########
# Cache #
#########
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
        "LOCATION": ["memcached-01.corp.example.net:11211", "memcached-02.corp.example.net:11211"],
        "TIMEOUT": 3600,
        "OPTIONS": {"ignore_exc": True},
    }
}
SENTRY_CACHE = "sentry.cache.redis.RedisCache"

DEFAULT_KAFKA_OPTIONS = {
    "bootstrap.servers": "kafka-a.stream.corp.example.net:9092,kafka-b.stream.corp.example.net:9092",
    "message.max.bytes": 50000000,
    "socket.timeout.ms": 1000,
}
SENTRY_EVENTSTREAM = "sentry.eventstream.kafka.KafkaEventStream"
SENTRY_EVENTSTREAM_OPTIONS = {"producer_configuration": DEFAULT_KAFKA_OPTIONS}
KAFKA_CLUSTERS["default"] = DEFAULT_KAFKA_OPTIONS

SENTRY_RATELIMITER = "sentry.ratelimits.redis.RedisRateLimiter"
SENTRY_BUFFER = "sentry.buffer.redis.RedisBuffer"
SENTRY_DIGESTS = "sentry.digests.backends.redis.RedisBackend"

# --- Web server (uwsgi) ---
SENTRY_WEB_HOST = "10.31.4.10"
SENTRY_WEB_PORT = 9000
SENTRY_WEB_OPTIONS = {
    "http": "%s:%s" % (SENTRY_WEB_HOST, SENTRY_WEB_PORT),
    "protocol": "uwsgi",
    "workers": 6,
    "threads": 4,
    "max-requests": 100000,
}

# Public names of this instance (used for links and CSRF checks only)
SENTRY_ENDPOINT = "https://sentry-ingest.example.com"
CSRF_TRUSTED_ORIGINS = ["https://sentry.example.com", "https://sentry-ingest.example.com"]

# Self-hosted JS SDK bundles; this URL is handed to browsers, Sentry never fetches it.
JS_SDK_LOADER_DEFAULT_SDK_URL = "https://sentry.example.com/js-sdk/%s/bundle%s.min.js"

SENTRY_METRICS_BACKEND = "sentry.metrics.statsd.StatsdMetricsBackend"
SENTRY_METRICS_OPTIONS = {
    "host": "198.51.100.44",
    "port": 8125,
}
GEOIP_PATH_MMDB = "/geoip/GeoLite2-City.mmdb"
