# Licensed to the Apache Software Foundation (ASF) under one or more
# contributor license agreements.  See the NOTICE file distributed with
# this work for additional information regarding copyright ownership.

# Settings here will override settings in existing env vars or in bin/solr.  The default shell
# is bash, so you can use bash syntax here.

# By default the script will use JAVA_HOME to determine which java
# to use, but you can set a specific path for Solr to use without
# affecting other Java applications on your server/workstation.
SOLR_JAVA_HOME="/usr/lib/jvm/java-11-openjdk-amd64"

# Increase Java Heap as needed to support your indexing / query needs
SOLR_HEAP="8g"

# Set the ZooKeeper connection string if using an external ZooKeeper ensemble
# e.g. host1:2181,host2:2181/chroot
# Leave empty if not using SolrCloud
ZK_HOST="zk-01.search.example.com:2181,zk-02.search.example.com:2181,zk-03.search.example.com:2181/solr"

# Set the ZooKeeper client timeout (for SolrCloud mode)
ZK_CLIENT_TIMEOUT="30000"

# By default the start script uses "localhost"; override the hostname here
# for production SolrCloud environments to control the hostname exposed to cluster state
SOLR_HOST="solr-03.search.example.com"

# By default the start script uses UTC; override the timezone if needed
SOLR_TIMEZONE="Europe/Berlin"

# Set to true to activate the JMX RMI connector to allow remote JMX client applications
# to monitor the JVM hosting Solr; set to "false" to disable that behavior
ENABLE_REMOTE_JMX_OPTS="true"
RMI_PORT=18983

# Anything you add to the SOLR_OPTS variable will be included in the java
# start command line as-is, in ADDITION to other options.
SOLR_OPTS="$SOLR_OPTS -Dsolr.autoSoftCommit.maxTime=3000 -Dsolr.jetty.request.header.size=65536"
SOLR_OPTS="$SOLR_OPTS -Dhttp.proxyHost=10.50.0.8 -Dhttp.proxyPort=3128 -Dhttp.nonProxyHosts=*.search.example.com|localhost"

# Location where the bin/solr script will save PID files for running instances
SOLR_PID_DIR=/var/solr

# Sets the port Solr binds to, default is 8983
SOLR_PORT="8983"

# Restrict access to solr by IP address.
SOLR_IP_WHITELIST="10.50.0.0/16, 192.168.10.7"
SOLR_IP_BLACKLIST="10.50.99.13"

# Sets the network interface the Solr binds to. To prevent administrators from
# accidentally exposing Solr more widely than intended, this defaults to 127.0.0.1.
SOLR_JETTY_HOST="10.50.3.13"

# Solr Security (basic auth)
SOLR_AUTH_TYPE="basic"
SOLR_AUTHENTICATION_OPTS="-Dbasicauth=solr:S0lrAdm1n"

SOLR_LOG_LEVEL=INFO
SOLR_LOGS_DIR=/var/solr/logs
