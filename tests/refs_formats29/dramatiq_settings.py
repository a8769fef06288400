# billing/settings/dramatiq_settings.py
# Imported at the end of billing/settings/production.py.
# django_dramatiq 0.11 / dramatiq 1.16 -- workers run as dramatiq@{1..4}.service
# on jobs01/jobs02 via `manage.py rundramatiq --processes 4 --threads 8`.
from dramatiq.rate_limits import ConcurrentRateLimiter
from dramatiq.rate_limits.backends import RedisBackend as RateLimitBackend

# RabbitMQ cluster behind no load balancer: pika tries the URLs in order.
DRAMATIQ_BROKER = {
    "BROKER": "dramatiq.brokers.rabbitmq.RabbitmqBroker",
    "OPTIONS": {
        "url": [
            "amqp://billing-jobs:Rmq-bill-Tz47Hq2@rmq-a.corp.example.net:5672/%2Fbilling",
            "amqp://billing-jobs:Rmq-bill-Tz47Hq2@rmq-b.corp.example.net:5672/%2Fbilling",
            "amqps://billing-jobs:Rmq-bill-Tz47Hq2@10.110.0.13:5671/%2Fbilling",
        ],
        "confirm_delivery": True,
    },
    "MIDDLEWARE": [
        "dramatiq.middleware.AgeLimit",
        "dramatiq.middleware.TimeLimit",
        "dramatiq.middleware.Callbacks",
        "dramatiq.middleware.Retries",
        "dramatiq.middleware.Pipelines",
        "django_dramatiq.middleware.DbConnectionsMiddleware",
        "django_dramatiq.middleware.AdminMiddleware",
    ],
}

# Results are only kept for the invoice PDF pipeline (1 hour)
DRAMATIQ_RESULT_BACKEND = {
    "BACKEND": "dramatiq.results.backends.redis.RedisBackend",
    "BACKEND_OPTIONS": {
        "url": "redis://:Rds-results-Kb56Wn3@10.110.1.20:6379/5",
    },
    "MIDDLEWARE_OPTIONS": {
        "result_ttl": 60 * 60 * 1000,
    },
}

DRAMATIQ_TASKS_DATABASE = "default"
DRAMATIQ_AUTODISCOVER_MODULES = ["tasks", "jobs.invoices", "jobs.dunning"]

# Queue names are dotted on purpose (routing keys in RabbitMQ).
BILLING_QUEUES = {
    "invoices": "billing.invoices.high",
    "dunning": "billing.dunning.low",
    "exports": "billing.exports.bulk",
}

# Only 3 concurrent calls to the payment provider across all workers.
PSP_MUTEX = ConcurrentRateLimiter(
    RateLimitBackend(host="redis-locks.corp.example.net", port=6381, db=2, password="Rds-locks-Ym29Fc8"),
    "psp-capture",
    limit=3,
)

# Payment service provider the dunning jobs call
PSP_API_BASE = "https://api.psp.example.com/v3/"
PSP_API_KEY = "psp_live_Bill7Xq3Wm9Kd2"
