#
# Varnish 7 VCL for shop.example.com -- cache-fra-2
# Owner: web-platform@example.com
#
vcl 4.1;

import directors;
import std;

probe healthcheck {
    .request =
        "GET /healthz HTTP/1.1"
        "Host: shop.example.com"
        "Connection: close";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
}

backend app1 {
    .host = "10.80.1.21";
    .port = "8080";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = healthcheck;
}

backend app2 {
    .host = "app2.shop.example.com";
    .port = "8080";
    .probe = healthcheck;
}

backend app3 {
    .host = "2001:db8:80::23";
    .port = "8081";
    .probe = healthcheck;
}

backend media {
    .host = "media-origin.example.net";
    .host_header = "media.example.com";
}

# backend legacy { .host = "10.80.9.9"; .port = "80"; }

acl purge {
    "localhost";
    "10.80.0.0"/16;
    "192.0.2.15";
}

sub vcl_init {
    new cluster = directors.round_robin();
    cluster.add_backend(app1);
    cluster.add_backend(app2);
    cluster.add_backend(app3);
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purge) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }
    if (req.http.host == "media.example.com") {
        set req.backend_hint = media;
    } else if (req.http.host ~ "^(www\.)?shop\.example\.com$") {
        set req.backend_hint = cluster.backend();
    } else {
        return (synth(404, "Unknown host"));
    }
}

sub vcl_deliver {
    set resp.http.X-Served-By = "cache-fra-2.example.com";
}
