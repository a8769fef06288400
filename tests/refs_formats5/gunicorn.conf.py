# gunicorn.conf.py -- billing API
# Started by systemd: gunicorn -c /etc/billing/gunicorn.conf.py billing.wsgi:application
import multiprocessing
import os

wsgi_app = "billing.wsgi:application"

bind = ["10.90.1.15:8000", "unix:/run/billing/gunicorn.sock"]
backlog = 2048

workers = multiprocessing.cpu_count() * 2 + 1
worker_class = "gevent"
worker_connections = 1000
timeout = 60
graceful_timeout = 30
keepalive = 5

# behind the F5; only trust it for X-Forwarded-*
forwarded_allow_ips = "10.90.0.2,10.90.0.3"
proxy_allow_ips = "10.90.0.2"

# metrics
statsd_host = "statsd.corp.example.com:8125"
statsd_prefix = "billing.api"
dogstatsd_tags = "env:prod,team:billing"

accesslog = "/var/log/billing/access.log"
errorlog = "-"
loglevel = "info"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'
syslog = True
syslog_addr = "udp://logs.corp.example.com:514"
syslog_prefix = "billing"

raw_env = [
    "DJANGO_SETTINGS_MODULE=billing.settings.prod",
    "DATABASE_URL=postgres://billing:b1ll1ng@10.90.2.10:5432/billing",
    "CACHE_URL=redis://10.90.2.20:6379/1",
    "SENTRY_DSN=https://4f1c2e@sentry.corp.example.com/7",
    "ALLOWED_HOSTS=billing.corp.example.com,billing-api.corp.example.com",
]

pidfile = "/run/billing/gunicorn.pid"
user = "billing"
group = "billing"
umask = 0o007
tmp_upload_dir = None

def when_ready(server):
    server.log.info("billing api ready on %s", bind)

def post_fork(server, worker):
    os.environ.setdefault("PAYMENT_GATEWAY", "https://pay.psp.example.net/api/v2")
