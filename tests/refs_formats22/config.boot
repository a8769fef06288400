high-availability {
    vrrp {
        group LAN10 {
            hello-source-address 10.10.0.2
            interface eth1
            peer-address 10.10.0.3
            priority 200
            virtual-address 10.10.0.1/24
            vrid 10
        }
    }
}
interfaces {
    ethernet eth0 {
        address 203.0.113.10/29
        description "WAN uplink AS64500"
    }
    ethernet eth1 {
        address 10.10.0.2/24
        description "LAN branch-fra"
    }
}
protocols {
    static {
        route 0.0.0.0/0 {
            next-hop 203.0.113.9 {
            }
        }
    }
}
service {
    dhcp-relay {
        interface eth1
        server 10.20.0.67
    }
    dns {
        forwarding {
            allow-from 10.10.0.0/16
            domain corp.example.net {
                server 10.20.0.53
            }
            listen-address 10.10.0.2
            name-server 192.168.100.53
        }
    }
    snmp {
        community Br4nch-ro-Kz81 {
            authorization ro
            network 10.20.0.0/24
        }
        listen-address 10.10.0.2 {
            port 161
        }
        trap-target 10.20.0.162 {
            community Tr4p-fra-Wq55
        }
    }
}
system {
    domain-name branch-fra.corp.example.net
    host-name edge-fra-01
    login {
        user vyos {
            authentication {
                encrypted-password $6$rT0uNd5$Vy0sEdgeFra01HashQ2wLm8Kp3Zr7Xc9Nb4Hd6Jf1
                plaintext-password ""
            }
        }
    }
    name-server 10.20.0.53
    ntp {
        server ntp1.corp.example.net {
            prefer
        }
        server 10.20.0.123 {
        }
    }
    syslog {
        host syslog.corp.example.net {
            facility all {
                level info
            }
        }
    }
}

// Warning: Do not remove the following line.
// vyos-config-version: "broadcast-relay@1:cluster@1:config-management@1:conntrack@3:conntrack-sync@2:dhcp-relay@2:dhcp-server@6:dhcpv6-server@1:dns-forwarding@3:firewall@5:https@2:interfaces@22:ipoe-server@1:ipsec@5:isis@1:l2tp@3:lldp@1:mdns@1:nat@5:ntp@1:pppoe-server@5:pptp@2:qos@1:quagga@8:rpki@1:salt@1:snmp@2:ssh@2:sstp@3:system@21:vrrp@2:vyos-accel-ppp@2:wanloadbalance@3:webproxy@2:zone-policy@1"
// Release version: 1.3.4
