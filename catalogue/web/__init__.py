"""The web app: server-rendered pages for leaders, chefs and HR, beside the GraphQL adapter.

Routes parse the request, call one service function and render a Jinja2 template on
Det Fælles Designsystem (``assets/``, the pinned npm package served from our origin).
No rule lives here: who may see or do what is asked of ``catalogue.services``.
"""
