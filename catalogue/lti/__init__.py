"""The LTI 1.3 tool: Moodle (or another LMS) launches the web app inside a course.

``adapter`` fits pylti1p3 to Starlette (its request, cookie, session and redirect
interfaces, which each framework provides), ``routes`` are the tool's endpoints, and the
rules (platforms, nonces, who the person is) live in ``catalogue/services/lti_*.py``.
"""
