"""Loading the seed files: the competence profile and the demo catalogue."""
