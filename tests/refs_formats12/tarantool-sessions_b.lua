#!/usr/bin/env tarantool
-- /etc/tarantool/instances.enabled/sessions_b.lua
-- Tarantool 2.11, replica set "sessions", instance B (10.24.0.12)
-- All three instances share the same replication list.
-- Docs: https://www.tarantool.io/en/doc/latest/reference/configuration/

local log = require('log')
local os = require('os')

box.cfg {
    listen = '10.24.0.12:3301',
    replication = {
        'replicator:' .. os.getenv('REPL_PASS') .. '@10.24.0.11:3301',
        'replicator:' .. os.getenv('REPL_PASS') .. '@10.24.0.12:3301',
        'replicator:' .. os.getenv('REPL_PASS') .. '@tnt-sessions-c.example.com:3302',
    },
    replication_connect_quorum = 2,
    read_only = true,
    memtx_memory = 4 * 1024 * 1024 * 1024,
    wal_dir = '/var/lib/tarantool/sessions_b',
    memtx_dir = '/var/lib/tarantool/sessions_b',
    log = 'syslog:identity=tarantool-sessions_b,facility=local5',
    -- log = 'syslog:server=10.24.0.50:514,identity=tarantool',
    pid_file = '/var/run/tarantool/sessions_b.pid',
    feedback_enabled = false,
    -- feedback_host = 'https://feedback.tarantool.io',
}

-- HTTP endpoint for Prometheus
local httpd = require('http.server').new('10.24.0.12', 8081, {
    log_requests = false,
})
local metrics = require('metrics')
metrics.enable_default_metrics()
httpd:route({ path = '/metrics' }, require('metrics.plugins.prometheus').collect_http)
httpd:start()

-- expired sessions are reported to the auth service
local http_client = require('http.client').new({ max_connections = 4 })
local AUTH_URL = 'http://auth-api.example.com:8080/v1/sessions/expired'

local function notify_expired(ids)
    local r = http_client:post(AUTH_URL, require('json').encode({ ids = ids }),
        { timeout = 2, headers = { ['Content-Type'] = 'application/json' } })
    if r.status ~= 200 then
        log.warn('auth notify failed: %s', r.status)
    end
end

box.once('schema_v1', function()
    box.schema.user.create('replicator', { password = os.getenv('REPL_PASS') })
    box.schema.user.grant('replicator', 'replication')
    local s = box.schema.space.create('sessions', { if_not_exists = true })
    s:create_index('primary', { parts = { 'id' } })
end)

log.info('sessions_b started; questions to dba@example.com')
