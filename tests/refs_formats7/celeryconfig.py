# celeryconfig.py -- loaded with app.config_from_object('celeryconfig')
from kombu import Exchange, Queue

# Two RabbitMQ nodes; kombu fails over in order (';' separated)
broker_url = 'amqp://celery:C3l3ry!@rabbit01.corp.example.net:5672/prod;amqp://celery:C3l3ry!@rabbit02.corp.example.net:5672/prod'
broker_failover_strategy = 'round-robin'
broker_transport_options = {'visibility_timeout': 3600}
broker_connection_retry_on_startup = True

result_backend = 'redis://:R3dis-pw@10.160.0.40:6379/1'
result_expires = 86400

task_serializer = 'json'
result_serializer = 'json'
accept_content = ['json']
timezone = 'Europe/Paris'
enable_utc = True

task_default_queue = 'default'
task_queues = (
    Queue('default', Exchange('default'), routing_key='default'),
    Queue('reports.high', Exchange('reports'), routing_key='reports.high'),
    Queue('mail', Exchange('mail'), routing_key='notify.email'),
)
task_routes = {
    'billing.tasks.*': {'queue': 'default'},
    'reports.tasks.generate_pdf': {'queue': 'reports.high'},
    'notify.email': {'queue': 'mail'},
}
worker_prefetch_multiplier = 1
worker_max_tasks_per_child = 500
worker_send_task_events = True
event_queue_expires = 60

# celery-redbeat keeps the beat schedule in Redis
beat_scheduler = 'redbeat.RedBeatScheduler'
redbeat_redis_url = 'redis://10.160.0.41:6379/2'
redbeat_lock_timeout = 900

imports = ('billing.tasks', 'reports.tasks', 'notify')
