# PostgreSQL with everything OptiSchema reads: pg_stat_statements (contrib, in the image),
# hypopg and pg_qualstats from the PostgreSQL apt repository the official image already uses.
ARG PG_MAJOR=16
FROM postgres:${PG_MAJOR}-bookworm
ARG PG_MAJOR
RUN apt-get update \
 && apt-get install -y --no-install-recommends "postgresql-${PG_MAJOR}-hypopg" "postgresql-${PG_MAJOR}-pg-qualstats" \
 && rm -rf /var/lib/apt/lists/*
CMD ["postgres", \
     "-c", "shared_preload_libraries=pg_stat_statements,pg_qualstats", \
     "-c", "pg_stat_statements.track=all", \
     "-c", "track_io_timing=on"]
