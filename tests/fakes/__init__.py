"""Test doubles that speak real protocols (the Moodle simulator lives here)."""
