/** Test fixtures: Caddyfiles laid out like the go-live plan's docker/prod/Caddyfile.example and variants. */

/** The plan's shape: global email, security headers, the app's reverse_proxy, a log block, a www redirect (two-space indents, as the plan has them). */
export const PLAN_CADDYFILE = `# Global options (optional)
{
  email ops@pixelfox.example
  # acme_ca https://acme-staging-v02.api.letsencrypt.org/directory  # staging only
}

pixelfox.example {
  encode zstd gzip
  # Security headers
  header {
    Strict-Transport-Security "max-age=31536000; includeSubDomains; preload"
    X-Frame-Options "DENY"
    X-Content-Type-Options "nosniff"
    Referrer-Policy "strict-origin-when-cross-origin"
    Permissions-Policy "camera=(), microphone=(), geolocation=(), interest-cohort=()"
  }
  reverse_proxy 127.0.0.1:4000
  log {
    output file /var/log/caddy/pixelfox.access.log {
      roll_size 10MiB
      roll_keep 10
      roll_keep_for 720h
    }
    format console
    level INFO
  }
}

www.pixelfox.example {
  redir https://pixelfox.example{uri} permanent
}
`;

/** Two sites with a reverse_proxy each (tabs); only the first goes to the app. */
export const TWO_SITES_CADDYFILE = `{
\tadmin localhost:2019
}

pixelfox.example {
\treverse_proxy 127.0.0.1:4000 # the app
}

status.pixelfox.example {
\t# a status page on another port; its upstream must stay as it is
\treverse_proxy /api/* 127.0.0.1:9000
\trespond "ok"
}
`;

/** The upstream in a block's `to` lines, with other subdirectives around it. */
export const TO_BLOCK_CADDYFILE = `pixelfox.example {
\treverse_proxy /* {
\t\tto 127.0.0.1:4000
\t\tto http://127.0.0.1:4001 # second instance
\t\tlb_policy first
\t\thealth_uri /api/v1/ping
\t\ttransport http {
\t\t\tdial_timeout 2s
\t\t}
\t}
}
`;
