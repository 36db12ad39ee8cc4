"""Recruitment on the profile: job profiles, guides, committees, scorecards, hand-over."""
