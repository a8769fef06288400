# Varnish VCL for the shop frontend
# Backends are the two app servers; health probe on /healthz
vcl 4.1;

import directors;
import std;

probe healthz {
    .url = "/healthz";
    .timeout = 1.5s;
    .interval = 5s;
    .window = 5;
    .threshold = 3;
}

backend app1 {
    .host = "10.110.0.21";
    .port = "8080";
    .probe = healthz;
    .connect_timeout = 0.5s;
}

backend app2 {
    .host = "app2.example.com";
    .port = "8080";
    .probe = healthz;
}

acl purgers {
    "10.110.9.0"/24;
    "192.168.1.15";
}

sub vcl_init {
    new shop = directors.round_robin();
    shop.add_backend(app1);
    shop.add_backend(app2);
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) { return (synth(405, "Not allowed")); }
        return (purge);
    }
    set req.backend_hint = shop.backend();
}
