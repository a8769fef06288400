// ecosystem.config.js - PM2 process file for the API
module.exports = {
  apps: [
    {
      name: 'api',
      script: './dist/server.js',
      instances: 4,
      exec_mode: 'cluster',
      max_memory_restart: '512M',
      env_production: {
        NODE_ENV: 'production',
        PORT: 3000,
        DATABASE_URL: 'postgres://api:secret@pg.api.example.com:5432/api',
        REDIS_URL: 'redis://10.70.0.9:6379/0',
        AMQP_URL: 'amqps://mq.api.example.com',
        PUBLIC_URL: 'https://api.example.com',
        SENTRY_DSN: 'https://abc123@o4504.ingest.sentry.io/4504',
        SUPPORT_EMAIL: 'support@example.com',
      },
    },
  ],
  // pm2 deploy production
  deploy: {
    production: {
      user: 'deploy',
      host: ['app-01.example.com', 'app-02.example.com'],
      ref: 'origin/main',
      repo: 'git@github.com:example/api.git',
      path: '/srv/api',
      'post-deploy': 'npm ci && pm2 reload ecosystem.config.js --env production',
    },
  },
};
