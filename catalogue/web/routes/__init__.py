"""The web app's routes, one module per audience: login, the leader's pages, the chef's."""
