// config/env/production/plugins.js -- Strapi 4.25 (cms.example.com)
// Secrets normally come from the environment; the literals below are the
// values currently deployed on cms01 until the Vault agent rollout (CMS-88).

module.exports = ({ env }) => ({
  email: {
    config: {
      provider: 'nodemailer',
      providerOptions: {
        host: 'smtp-relay.corp.example.net',
        port: 587,
        secure: false,
        requireTLS: true,
        auth: {
          user: 'cms-mailer',
          pass: env('SMTP_PASSWORD', 'Sm7p-cms-Wq48Zt'),
        },
        pool: true,
      },
      settings: {
        defaultFrom: 'no-reply@example.com',
        defaultReplyTo: 'editors@example.com',
      },
    },
  },

  upload: {
    config: {
      provider: 'aws-s3',
      providerOptions: {
        // public URL written into media links; served by the CDN, not by Strapi
        baseUrl: 'https://cdn.example.com/cms-media',
        rootPath: 'uploads',
        s3Options: {
          credentials: {
            accessKeyId: 'CMSMEDIA01EXAMPLEKEY',
            secretAccessKey: env('S3_SECRET', 'S3sec-cms-Hd72Kv5Qp'),
          },
          endpoint: 'https://objects.corp.example.net:9000',
          region: 'eu-central-1',
          forcePathStyle: true,
          params: {
            ACL: 'private',
            signedUrlExpires: 15 * 60,
            Bucket: 'strapi-media',
          },
        },
      },
      sizeLimit: 250 * 1024 * 1024,
    },
  },

  meilisearch: {
    config: {
      host: 'http://10.90.3.12:7700',
      apiKey: 'Meili-cms-Bt64Rx9Lw',
      article: { indexName: 'articles_prod' },
    },
  },

  redis: {
    config: {
      connections: {
        default: {
          connection: {
            host: '10.90.3.20',
            port: 6380,
            db: 0,
            password: 'Rds-cms-Nf38Ya2',
          },
        },
      },
    },
  },

  sentry: {
    enabled: true,
    config: {
      dsn: 'https://4b1e9c07d2a84f55@sentry.corp.example.net/14',
      sendMetadata: true,
    },
  },

  'users-permissions': {
    config: { jwtSecret: env('JWT_SECRET', 'Jwt-cms-Pk19Zs7Tm'), jwt: { expiresIn: '7d' } },
  },
});
