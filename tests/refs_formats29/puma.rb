# frozen_string_literal: true

# config/puma.rb -- shop-api production (Puma 6.4), started by puma.service
# nginx on the same host talks to the unix socket; the internal load balancer
# (lb-int.corp.example.net) health-checks and routes to the TCP bind below.

max_threads_count = ENV.fetch("RAILS_MAX_THREADS", 8)
min_threads_count = ENV.fetch("RAILS_MIN_THREADS") { max_threads_count }
threads min_threads_count, max_threads_count

workers ENV.fetch("WEB_CONCURRENCY", 6)
environment "production"
directory "/srv/shop-api/current"
pidfile "/run/shop-api/puma.pid"
state_path "/run/shop-api/puma.state"
stdout_redirect "/var/log/shop-api/puma.stdout.log", "/var/log/shop-api/puma.stderr.log", true

bind "unix:///run/shop-api/puma.sock"
bind "tcp://10.30.2.14:9292"
ssl_bind "10.30.2.14", "9443", {
  key: "/etc/ssl/private/shop-api.corp.example.net.key",
  cert: "/etc/ssl/certs/shop-api.corp.example.net.pem",
  verify_mode: "none"
}

# pumactl / puma-status only from this host
activate_control_app "tcp://127.0.0.1:9293", { auth_token: "PumaCtl-7fQ2x9LmZ4" }

preload_app!
worker_timeout 60
worker_shutdown_timeout 25
persistent_timeout 75
first_data_timeout 30

plugin :tmp_restart

before_fork do
  ActiveRecord::Base.connection_pool.disconnect! if defined?(ActiveRecord)
end

on_worker_boot do
  ActiveRecord::Base.establish_connection if defined?(ActiveRecord)

  # Legacy Resque enqueues from web workers; its Redis is not fork-safe,
  # so every worker opens its own connection after boot.
  Resque.redis = Redis.new(host: "10.30.4.22", port: 6380, db: 3, password: "ResqRedis-6Mv2Qk8")
end

lowlevel_error_handler do |e, env, status|
  Sentry.capture_exception(e) if defined?(Sentry)
  [status, {}, ["An error has occurred, and engineers have been informed.\n"]]
end
