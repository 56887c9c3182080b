"""Shared REST plumbing: problem+json errors, the API URL conf composed from modules."""
