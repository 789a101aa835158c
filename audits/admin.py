"""Nothing registered: audits content is the app's (its pages keep the rules and the history). The admin is for
operators (common/admin.py)."""
