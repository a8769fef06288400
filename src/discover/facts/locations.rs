//! Where common daemons keep their configuration, by the names their units, packages and
//! processes go by: the knowledge an ops engineer brings to an unknown host, as data. Paths are
//! globs expanded on the host; what does not exist there is simply not listed.

/// (names the daemon goes by, its usual config files on Debian-like and FreeBSD hosts).
pub(crate) const DAEMONS: &[(&[&str], &[&str])] = &[
    (
        &[
            "nginx",
            "nginx-light",
            "nginx-core",
            "nginx-full",
            "nginx-extras",
        ],
        &[
            "/etc/nginx/nginx.conf",
            "/etc/nginx/conf.d/*.conf",
            "/etc/nginx/sites-enabled/*",
            "/usr/local/etc/nginx/nginx.conf",
        ],
    ),
    (
        &["haproxy"],
        &[
            "/etc/haproxy/haproxy.cfg",
            "/etc/haproxy/conf.d/*.cfg",
            "/usr/local/etc/haproxy.conf",
        ],
    ),
    (
        &["redis-server", "redis", "valkey-server"],
        &["/etc/redis/redis.conf", "/usr/local/etc/redis.conf"],
    ),
    (
        &["redis-sentinel"],
        &["/etc/redis/sentinel.conf", "/usr/local/etc/sentinel.conf"],
    ),
    (
        &["postfix", "master"],
        &[
            "/etc/postfix/main.cf",
            "/etc/postfix/master.cf",
            "/usr/local/etc/postfix/main.cf",
            "/usr/local/etc/postfix/master.cf",
        ],
    ),
    (
        &["mysql", "mysqld", "mariadb", "mariadbd", "galera"],
        &[
            "/etc/mysql/my.cnf",
            "/etc/mysql/conf.d/*.cnf",
            "/etc/mysql/mariadb.conf.d/*.cnf",
            "/etc/my.cnf",
            "/usr/local/etc/mysql/my.cnf",
        ],
    ),
    (
        &["postgresql", "postgres", "postmaster"],
        &[
            "/etc/postgresql/*/main/postgresql.conf",
            "/etc/postgresql/*/main/pg_hba.conf",
            "/etc/postgresql/*/main/conf.d/*.conf",
            "/var/db/postgres/data*/postgresql.conf",
        ],
    ),
    (
        &["pgbouncer"],
        &[
            "/etc/pgbouncer/pgbouncer.ini",
            "/usr/local/etc/pgbouncer.ini",
        ],
    ),
    (
        &["elasticsearch"],
        &[
            "/etc/elasticsearch/elasticsearch.yml",
            "/etc/default/elasticsearch",
            "/usr/local/etc/elasticsearch/elasticsearch.yml",
        ],
    ),
    (
        &["kafka"],
        &[
            "/etc/kafka/server.properties",
            "/opt/kafka/config/server.properties",
            "/usr/local/etc/kafka/server.properties",
        ],
    ),
    (
        &["zookeeper", "zookeeper-server"],
        &[
            "/etc/zookeeper/conf/zoo.cfg",
            "/etc/zookeeper/zoo.cfg",
            "/opt/zookeeper/conf/zoo.cfg",
            "/usr/local/etc/zookeeper/zoo.cfg",
        ],
    ),
    (
        &["rabbitmq-server", "rabbitmq", "beam.smp"],
        &[
            "/etc/rabbitmq/rabbitmq.conf",
            "/etc/rabbitmq/rabbitmq-env.conf",
            "/etc/rabbitmq/advanced.config",
            "/usr/local/etc/rabbitmq/rabbitmq.conf",
        ],
    ),
    (
        &["memcached"],
        &["/etc/memcached.conf", "/etc/default/memcached"],
    ),
    (
        &["cassandra"],
        &[
            "/etc/cassandra/cassandra.yaml",
            "/etc/cassandra/cassandra-rackdc.properties",
            "/usr/local/etc/cassandra/cassandra.yaml",
        ],
    ),
    (
        &["keepalived"],
        &[
            "/etc/keepalived/keepalived.conf",
            "/usr/local/etc/keepalived/keepalived.conf",
        ],
    ),
];

/// The usual config files of a daemon known by any of `names`.
pub(crate) fn usual_configs<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let names: Vec<&str> = names.into_iter().collect();
    DAEMONS
        .iter()
        .filter(|(known, _)| known.iter().any(|k| names.contains(k)))
        .flat_map(|(_, paths)| paths.iter().copied())
        .collect()
}

/// Command-line flags whose value names a config file, as `-c FILE`, `--config=FILE` or
/// `-cFILE`.
const FLAGS: &[&str] = &[
    "-c",
    "-f",
    "-C",
    "--config",
    "--conf",
    "--config-file",
    "--configfile",
    "--conf-file",
    "--defaults-file",
    "--defaults-extra-file",
    "-config",
    "--settings",
];

/// Files a command line names: flag values, and bare arguments that look like config paths
/// (`redis-server /etc/redis/redis.conf`). Only absolute paths: a relative one depends on a
/// working directory discovery does not know.
pub(crate) fn files_in_args(args: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let mut take_next = false;
    for (i, arg) in args.iter().enumerate() {
        if take_next {
            take_next = false;
            // `-c config_file=/etc/postgresql/15/main/postgresql.conf`: a setting's value.
            match arg.split_once('=') {
                Some((_, value)) if !arg.starts_with('/') => push_path(&mut found, value),
                _ => push_path(&mut found, arg),
            }
            continue;
        }
        if let Some((flag, value)) = arg.split_once('=')
            && FLAGS.contains(&flag)
        {
            push_path(&mut found, value);
        } else if FLAGS.contains(&arg.as_str()) {
            take_next = true;
        } else if let Some(value) = arg.strip_prefix("-c").or_else(|| arg.strip_prefix("-f"))
            && value.starts_with('/')
        {
            push_path(&mut found, value);
        } else if i > 0 && looks_like_config(arg) {
            push_path(&mut found, arg);
        }
    }
    found
}

fn looks_like_config(arg: &str) -> bool {
    arg.starts_with('/')
        && [
            ".conf",
            ".cfg",
            ".cnf",
            ".ini",
            ".yml",
            ".yaml",
            ".properties",
            ".cf",
            ".toml",
            ".json",
            ".env",
        ]
        .iter()
        .any(|ext| arg.ends_with(ext))
}

fn push_path(found: &mut Vec<String>, path: &str) {
    if path.starts_with('/') && !found.iter().any(|f| f == path) {
        found.push(path.to_string());
    }
}

/// Config files and environment files a systemd unit or an init script names: `ExecStart`
/// flags, `EnvironmentFile=`, and shell variables or words that hold a path under `/etc`.
pub(crate) fn files_in_script(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines().take(5_000) {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        if let Some(value) = line.strip_prefix("EnvironmentFile=") {
            push_path(&mut found, value.trim_start_matches('-').trim());
            continue;
        }
        if let Some(cmd) = line
            .strip_prefix("ExecStart=")
            .or_else(|| line.strip_prefix("ExecStartPre="))
        {
            let args: Vec<String> = cmd
                .trim_start_matches(['-', '@', '+', '!', ':'])
                .split_whitespace()
                .map(str::to_string)
                .collect();
            for f in files_in_args(&args) {
                push_path(&mut found, &f);
            }
            continue;
        }
        for word in line.split(|c: char| c.is_whitespace() || matches!(c, '=' | '"' | '\'' | ';')) {
            if word.starts_with("/etc/")
                && !word.starts_with("/etc/init.d")
                && !word.starts_with("/etc/rc.d")
                && !word.contains(['$', '*', '`', '(', ')'])
                && (looks_like_config(word) || word.starts_with("/etc/default/"))
            {
                push_path(&mut found, word);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn config_flags_in_every_spelling() {
        assert_eq!(
            files_in_args(&args(
                "/usr/sbin/haproxy -Ws -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid"
            )),
            ["/etc/haproxy/haproxy.cfg"]
        );
        assert_eq!(
            files_in_args(&args(
                "mysqld --defaults-file=/etc/mysql/my.cnf --user=mysql"
            )),
            ["/etc/mysql/my.cnf"]
        );
        assert_eq!(
            files_in_args(&args("nginx -c/etc/nginx/alt.conf")),
            ["/etc/nginx/alt.conf"]
        );
        assert_eq!(
            files_in_args(&args("redis-server /etc/redis/redis.conf")),
            ["/etc/redis/redis.conf"]
        );
        assert!(files_in_args(&args("app -c relative.conf")).is_empty());
        assert_eq!(
            files_in_args(&args(
                "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main -c config_file=/etc/postgresql/15/main/postgresql.conf"
            )),
            ["/etc/postgresql/15/main/postgresql.conf"]
        );
        assert_eq!(
            files_in_args(&args(
                "/usr/bin/python3 /usr/local/lib/shop/shop.py --config=/etc/shop/shop.conf"
            )),
            ["/etc/shop/shop.conf"]
        );
        assert_eq!(
            files_in_args(&args(
                "/usr/bin/python3 -m shop --config /etc/shop/settings"
            )),
            ["/etc/shop/settings"]
        );
    }

    #[test]
    fn units_and_init_scripts_name_their_files() {
        let unit = "[Service]\nEnvironmentFile=-/etc/default/app\nExecStart=/usr/bin/app --config /srv/app/app.yml\n";
        assert_eq!(
            files_in_script(unit),
            ["/etc/default/app", "/srv/app/app.yml"]
        );
        let init = "DAEMON_ARGS=/etc/redis/redis.conf\n[ -r /etc/default/$NAME ] && . /etc/default/$NAME\n. /etc/default/redis-server\n";
        assert_eq!(
            files_in_script(init),
            ["/etc/redis/redis.conf", "/etc/default/redis-server"]
        );
    }

    #[test]
    fn the_table_knows_daemons_by_any_of_their_names() {
        assert!(usual_configs(["master"]).contains(&"/etc/postfix/main.cf"));
        assert!(usual_configs(["nginx"]).contains(&"/etc/nginx/sites-enabled/*"));
        assert!(usual_configs(["unknown-daemon"]).is_empty());
    }
}
