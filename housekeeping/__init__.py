"""Scheduled clean-ups of what the framework and its libraries leave behind (expired sessions, old login records).

An app of its own, with no models: its migrations only add beat entries, so they never clash with an app's.
"""
