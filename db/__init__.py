"""The store of OpenGLAM Watch: append-only crawl history and drift between runs.

Public surface (import from the modules; this package imports nothing so that `import db`
stays cheap):

- `db.store.Store` — open (migrating to head), runs, sites, institutions, batched validated
  observations, `diff`, `institution_series`, `license_spans`.
- `db.drift` — which runs are compared and how a page pair becomes one event
  (`compute_drift`, `DriftResult`, `DriftEvent`, `classify_pair`).
- `db.series` — per-institution series per complete run for the reports' charts.
- `db.errors` — the exceptions (`StoreError` and its kinds).
- `db/migrations/` — Alembic; `glamwatch db upgrade` or any `Store.open` applies them.
"""
