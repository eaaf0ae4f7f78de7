"""The kernel every feature stands on, knowing none of them.

- ``app``, ``config``  the app factory (it calls each feature's ``init_app``) and settings
- ``db``               the database handle, typed base, exact column types, pagination,
                       write locks and ``insert_or_conflict``
- ``problems``         RFC 9457 problem responses for every error
- ``openapi``          the flask-smorest Api that features register their blueprints with
- ``health``           `GET /healthz`
- ``activity``         the activity log: who changed what
- ``fields``, ``files``, ``pagination``  shared web helpers: strict JSON fields, PDF
                       responses, page envelopes
- ``pdf``              what every printed document is made with
"""
