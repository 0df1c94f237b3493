"""repp's web app: anonymous survey delivery, CfJJ administration and leadership dashboards."""
