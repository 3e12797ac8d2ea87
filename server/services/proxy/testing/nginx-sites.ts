/** Test fixtures: the go-live plan's Nginx site (/etc/nginx/sites-available/pixelfox), and its HTTP-only variant. */

export const PLAN_NGINX_SITE = `server {
  listen 80;
  server_name pixelfox.cc;
  location / { return 301 https://$host$request_uri; }
}

server {
  listen 443 ssl http2;
  server_name pixelfox.cc;
  ssl_certificate /etc/letsencrypt/live/pixelfox.cc/fullchain.pem;
  ssl_certificate_key /etc/letsencrypt/live/pixelfox.cc/privkey.pem;
  location / {
    proxy_pass http://127.0.0.1:4000;
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
  }
}
`;

/** The plan's site on plain HTTP (no certificate), listening where the caller says. */
export function planHttpSite(listen: string, dial = "127.0.0.1:4000"): string {
  return `server {
  listen ${listen};
  server_name pixelfox.test;
  location / {
    proxy_pass http://${dial};
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
  }
}
`;
}
