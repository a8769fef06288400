/**
 * Node-RED settings -- nodered-plant01 (/srv/node-red/settings.js)
 * Trimmed from the 4.0 default settings file.
 * See https://nodered.org/docs/user-guide/runtime/configuration
 **/

module.exports = {
    flowFile: 'flows.json',
    flowFilePretty: true,
    credentialSecret: "Nr13-cred-Yw56Ta",

    /** Editor & admin API security: Keycloak realm "ot" */
    adminAuth: {
        type: "strategy",
        strategy: {
            name: "openidconnect",
            label: "Sign in with Corp SSO",
            icon: "fa-cloud",
            strategy: require("passport-openidconnect").Strategy,
            options: {
                issuer: "https://sso.corp.example.net/realms/ot",
                authorizationURL: "https://sso.corp.example.net/realms/ot/protocol/openid-connect/auth",
                tokenURL: "https://sso.corp.example.net/realms/ot/protocol/openid-connect/token",
                userInfoURL: "https://sso.corp.example.net/realms/ot/protocol/openid-connect/userinfo",
                clientID: "node-red-plant01",
                clientSecret: "Nr13-oidc-Kc84Ms",
                callbackURL: "https://nodered-plant01.corp.example.net/auth/strategy/callback/",
                scope: ["email", "profile", "openid"],
                proxy: true,
                verify: function(context, issuer, profile, done) {
                    return done(null, profile);
                }
            }
        },
        users: function(user) {
            return Promise.resolve({ username: user, permissions: "*" });
        }
    },

    /** Server settings */
    uiPort: 1880,
    uiHost: "10.150.3.12",
    httpAdminRoot: '/admin',
    httpNodeRoot: '/api',
    httpNodeCors: {
        origin: "https://hmi.corp.example.net",
        methods: "GET,PUT,POST,DELETE"
    },

    /** Runtime settings */
    diagnostics: { enabled: true, ui: true },
    runtimeState: { enabled: false, ui: false },
    logging: {
        console: { level: "info", metrics: false, audit: true }
    },

    contextStorage: {
        default: "memoryOnly",
        memoryOnly: { module: "memory" },
        file: { module: "localfilesystem" },
        redis: {
            module: require("node-red-context-redis"),
            config: {
                host: "10.150.4.20",
                port: 6379,
                password: "Nr13-redis-Ge29Dn",
                prefix: "nr-plant01"
            }
        }
    },

    exportGlobalContextKeys: false,
    externalModules: {
        palette: { allowInstall: false }
    },

    /** Editor settings */
    editorTheme: {
        page: { title: "Plant 01 Node-RED" },
        header: { title: "Plant 01", url: "https://intranet.corp.example.net/ot" },
        projects: { enabled: false },
        codeEditor: { lib: "monaco" }
    },

    functionExternalModules: true,
    functionTimeout: 0,
    mqttReconnectTime: 15000,
    debugMaxLength: 1000
}
