"""Two-factor login for the app's own accounts, on django-otp.

- services.py: set-up, recovery codes, switching off, checking a code, the workspace policy.
- half_login.py: the password step's result kept in the session until the code step completes the login.
- views.py: the two login steps and the profile's two-factor pages; forms.py their forms.
- middleware.py: the workspace policy (no device yet: to the set-up) and the code step for a session that skipped it.
"""
