----
-- /etc/lsyncd/lsyncd.conf.lua  on web01
-- Live mirror of uploaded content to the other web nodes, the backup box
-- and the DR site. Manual: https://lsyncd.github.io/lsyncd/manual/config/layer4/
----

settings {
    logfile        = "/var/log/lsyncd/lsyncd.log",
    statusFile     = "/var/log/lsyncd/lsyncd.status",
    statusInterval = 20,
    nodaemon       = false,
    insist         = true,
    maxProcesses   = 4,
}

local exclude_list = { "*.tmp", "cache/**", ".git/" }

-- web02: rsync+ssh, sshd listens on a non-standard port there
sync {
    default.rsyncssh,
    source    = "/srv/www/uploads",
    host      = "web02.corp.example.net",
    targetdir = "/srv/www/uploads",
    delay     = 5,
    exclude   = exclude_list,
    ssh = {
        port         = 2222,
        identityFile = "/root/.ssh/lsyncd_ed25519",
        options      = { StrictHostKeyChecking = "yes" },
    },
    rsync = { archive = true, compress = true, _extra = { "--bwlimit=20000" } },
}

-- web03: plain rsync over ssh, "host:dir" target
sync {
    default.rsync,
    source = "/srv/www/uploads",
    target = "10.130.0.13:/srv/www/uploads",
    delay  = 5,
    exclude = exclude_list,
    rsync  = { archive = true, rsh = "/usr/bin/ssh -l lsyncd -i /root/.ssh/lsyncd_ed25519" },
}

-- backup box: rsync daemon module, password kept in a separate file
sync {
    default.rsync,
    source = "/srv/www",
    target = "rsync-backup@backup01.corp.example.net::www",
    delay  = 60,
    rsync  = { archive = true, password_file = "/etc/lsyncd/backup01.secret" },
}

-- DR site over IPv6
sync {
    default.rsyncssh,
    source    = "/srv/www/uploads",
    host      = "2001:db8:130::20",
    targetdir = "/srv/dr/uploads",
    delay     = 30,
}

-- retired 2023: old NFS mirror
-- sync { default.rsync, source = "/srv/www", target = "192.0.2.44:/export/www" }
