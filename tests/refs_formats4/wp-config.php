<?php
/**
 * The base configuration for WordPress
 *
 * @package WordPress
 */
// ** Database settings ** //
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_user' );
define( 'DB_PASSWORD', 'pa55word' );
/** Database hostname */
define( 'DB_HOST', 'mysql-wp.db.example.net:3307' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'AUTH_KEY',         'put your unique phrase here' );
define( 'SECURE_AUTH_KEY',  'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
define( 'WP_HOME', 'https://blog.example.net' );
define( 'WP_SITEURL', 'https://blog.example.net/wp' );
/* outbound HTTP through the proxy */
define( 'WP_PROXY_HOST', '10.90.0.8' );
define( 'WP_PROXY_PORT', '3128' );
/* object cache */
define( 'WP_REDIS_HOST', '10.90.0.12' );
define( 'WP_REDIS_PORT', 6379 );
define( 'WP_REDIS_DATABASE', 0 );
define( 'DISABLE_WP_CRON', true );
define( 'WP_MEMORY_LIMIT', '256M' );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
