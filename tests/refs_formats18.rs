//! The scanner on a sixteenth set, written blind (issue 26): OpenStack Nova, a RocketMQ
//! broker, Redpanda, TiDB, Pomerium, Ory Kratos, Buildbot, an IBM Storage Protect client,
//! Mailman 3, SmokePing, NXLog, rtpengine, IBM Spectrum LSF, ChirpStack, Moodle, Spring Boot,
//! NLog, Seafile, Pi-hole and Skipper, every product new to the scanner. Held out until the
//! rules of the session that wrote it were in, then scored once here: recall 0.79, precision
//! 0.65, ports 0.95. The rules written from it (a comment after a value; a user for each host
//! of a URL; `/etc/hosts` entries in a quoted list; a `[dhcp]` section, what is handed out;
//! OpenStack's `my_ip`; sign-in, sign-out and return URLs, for browsers; a `host-port` key, a
//! peer's) bring it to 0.80, 0.70 and 0.95. Still wrong: where the embedded servers of
//! Redpanda, Kratos, Seafile, Mailman and TiDB listen (under plain `address`, `host` or
//! `*-host` keys), Pomerium's routes (`from:`), Buildbot's Twisted endpoints, Pi-hole's CNAME
//! records and conditional forwarders, IBM Storage Protect's `TCPPort`.

mod corpus;

corpus::written_blind!(
    "refs_formats18",
    floors: (0.81, 0.74, 0.94),
    secrets: [
        "Tz5-nlog-Sq8rVd3m",
        "Tz5-nlog-Ml1pXs6w",
        "Tz5-nlog-Es5tNq2b",
        "Tz5-spring-Ks3wNd8f",
        "Tz5-spring-Db6mQr1t",
        "Tz5-spring-Rd2yKc7g",
        "Tz5-spring-Ml4bVx9s",
        "Tz5-chirp-Pg6nRt2w",
        "Tz5-chirp-Rd3kVm9q",
        "Tz5-chirp-Api7xLp4s",
        "Tz5-chirp-Mq8dWc5h",
        "Tz5-chirp-Ig1sFy6v",
        "Tz5-chirp-Oi4bNe8r",
        "Tz5-tsm-Dr6bNk2q",
        "Tz5-kratos-Dq7nVb3m",
        "Tz5-kratos-Oc2pWj6u",
        "Tz5-kratos-Ck5yHn0b",
        "Tz5-kratos-Cp8tLr3v32charslongcipherkey",
        "Tz5-kratos-Sm4gKe9x",
        "Tz5-mailman-Pq5tXb8c",
        "Tz5-mailman-Sm3wLk7d",
        "Tz5-mailman-Ra9qHv2m",
        "Tz5-mailman-Nn4eJc6p",
        "Tz5-buildbot-Wk3pLs9d",
        "Tz5-buildbot-Ml6rCq1z",
        "Tz5-buildbot-Gh2sVx7k",
        "Tz5-buildbot-Db8xQn4r",
        "Tz5-moodle-Db7hQx2v",
        "Tz5-moodle-Ro4kTz8n",
        "Tz5-moodle-Rs6fWb1y",
        "Tz5-moodle-Sm9cLp3j",
        "Tz5-moodle-Ld5vAe7u",
        "Tz5-nova-Rb7qLm2x",
        "Tz5-nova-Db4kW9pe",
        "Tz5-nova-Ks8vTq3n",
        "Tz5-nova-Nt5cHw1y",
        "Tz5-nova-Mp9aRd6e",
        "Tz5-nova-Pl2uGz8o",
        "Tz5-nxlog-Ar7mPw3k",
        "Tz5-pomerium-Ic9wXr2k",
        "Tz5-pomerium-Ck3Fv7sLq0Yp2Nd8Rb5Wm1Xh6Jt4Gz9A=",
        "Tz5-pomerium-Sh6Tn1Vc8Ea4Qo7Kw2Ui5Lp0Dm3Bx9Y=",
        "Tz5-pomerium-Pg4hZs8q",
        "Tz5-redpanda-Sx4mQe8w",
        "Tz5-skipper-Ap6nXe1r",
        "Tz5-rtpe-Rd5uKs8n",
        "Tz5-rtpe-My2fGd7c",
        "Tz5-seafile-Db2nHk7r",
        "Tz5-seafile-S3k9Lq4w",
    ],
);
