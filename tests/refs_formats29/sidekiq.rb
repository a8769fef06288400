# frozen_string_literal: true

# config/initializers/sidekiq.rb -- shop (Sidekiq 7.2 / Sidekiq Pro 7.2)
#
# Redis for jobs is the Sentinel-managed "sidekiq-main" group (3 sentinels),
# NOT the cache Redis the app uses for Rails.cache.
# Sidekiq 7 drops :url when :sentinels is given, so do not add one here.

SIDEKIQ_REDIS = {
  name: "sidekiq-main",
  sentinels: [
    { host: "10.30.4.31", port: 26379 },
    { host: "10.30.4.32", port: 26379 },
    { host: "redis-sentinel-3.corp.example.net", port: 26380 }
  ],
  role: :master,
  password: "SkqRedis-4Pn8Wd2Lx",
  sentinel_password: "SkqSentinel-9Hc3Tz6",
  db: 2,
  network_timeout: 3,
  pool_timeout: 2
}.freeze

Sidekiq.configure_server do |config|
  config.redis = SIDEKIQ_REDIS
  config.logger.level = Logger::INFO

  # queues and concurrency are in config/sidekiq.yml (capsules "default" and "mailers")
  config.capsule("exports") do |cap|
    cap.concurrency = 2
    cap.queues = %w[exports]
  end

  # Sidekiq Pro metrics -> the node-local DogStatsD agent on the worker hosts
  config.dogstatsd = -> { Datadog::Statsd.new("10.30.9.5", 8125, namespace: "shop.sidekiq") }

  config.death_handlers << ->(job, ex) do
    Rails.logger.error("job #{job["class"]} #{job["jid"]} died: #{ex.message}")
  end

  config.on(:shutdown) do
    Rails.logger.info("sidekiq shutting down on #{Socket.gethostname}")
  end
end

Sidekiq.configure_client do |config|
  config.redis = SIDEKIQ_REDIS.merge(size: 5)
end

# Reliable push: buffer locally when Redis fails over (Sidekiq Pro)
Sidekiq::Client.reliable_push! unless Rails.env.test?

Sidekiq.strict_args!
Sidekiq.default_job_options = { "backtrace" => 20, "retry" => 12 }
